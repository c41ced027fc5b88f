import type { ScenarioResult, Totals } from './results.ts';

/** Anything with `write`, e.g. `process.stdout`; tests pass an array collector. */
export interface Writer {
  write(text: string): void;
}

const MARK = { passed: '✓', failed: '✗', skipped: '-' } as const;

/** One line per scenario; its metrics, then the failure's message, indented under it. */
export function formatResult(result: ScenarioResult): string {
  const head = `${MARK[result.status]} ${result.name}`;
  if (result.status === 'skipped') return `${head}  skipped: ${result.reason ?? ''}\n`;
  let text = `${head}  ${formatMs(result.realMs)} real, ${formatSeconds(result.emulatedMs)} emulated\n`;
  const metrics = Object.entries(result.metrics ?? {});
  if (metrics.length > 0) text += indent(metrics.map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toFixed(1)}`).join(', '));
  if (result.error) {
    const where = result.error.step ? `[${result.error.step}] ` : '';
    text += indent(`${where}${result.error.message}`);
  }
  return text;
}

export function formatSummary(t: Totals): string {
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped\n`;
}

export function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}\n`)
    .join('');
}
