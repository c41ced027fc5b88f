/**
 * A worker thread's first module. Workers do not inherit the parent's loader hooks, so this plain .mjs
 * file registers tsx (ESM and CJS) before anything TypeScript loads: the runtime's own worker code and
 * any handler written in TypeScript.
 */
import { register as registerEsm } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

registerEsm();
registerCjs();
await import('./main.ts');
