#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader: no build step between a clone and `npm start`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
