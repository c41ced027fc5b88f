import { readFileSync } from 'node:fs';

export const TOOL_NAME = 'genai-offline';

/** Read from package.json so a report always names the version that produced it. */
export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
