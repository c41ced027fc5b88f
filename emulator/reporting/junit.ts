import type { ScenarioFailure, ScenarioResult } from '../harness/results.ts';
import type { RunReport } from './report.ts';
import { openTag, xmlText } from './xml.ts';

/**
 * JUnit XML in the shape CI servers (GitHub Actions reporters, GitLab, Jenkins) read: one <testsuite>
 * per pattern, one <testcase> per scenario, times in real seconds. Emulated times and a scenario's
 * metrics (token timing), which JUnit has no field for, go into <system-out> with the steps.
 */
export function renderJunit(report: RunReport): string {
  const byPattern = new Map<string, ScenarioResult[]>();
  for (const r of report.results) byPattern.set(r.pattern, [...(byPattern.get(r.pattern) ?? []), r]);

  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`${openTag('testsuites', { name: 'genai-offline scenarios', ...counts(report.results), time: seconds(report.realMs), timestamp: report.startedAt })}>`);
  for (const [pattern, results] of byPattern) {
    const time = results.reduce((sum, r) => sum + r.realMs, 0);
    lines.push(`  ${openTag('testsuite', { name: pattern, ...counts(results), time: seconds(time), timestamp: report.startedAt })}>`);
    lines.push('    <properties>');
    for (const [name, value] of Object.entries({ runId: report.runId, mode: report.mode, timeScale: String(report.timeScale) })) {
      lines.push(`      ${openTag('property', { name, value })}/>`);
    }
    lines.push('    </properties>');
    for (const r of results) lines.push(...testcase(r));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testcase(r: ScenarioResult): string[] {
  const open = `    ${openTag('testcase', { name: r.name, classname: r.pattern, time: seconds(r.realMs) })}`;
  if (r.status === 'skipped') return [`${open}>`, `      ${openTag('skipped', { message: r.reason ?? '' })}/>`, '    </testcase>'];
  const out = [`${open}>`];
  if (r.status === 'failed' && r.error) {
    out.push(`      ${openTag('failure', { message: r.error.message, type: r.error.type })}>${xmlText(failureDetail(r.error))}</failure>`);
  }
  const summary = [r.description, `emulated: ${(r.emulatedMs / 1000).toFixed(3)} s`];
  for (const s of r.steps) {
    summary.push(`${s.status === 'passed' ? '✓' : '✗'} ${s.name}  ${Math.round(s.realMs)} ms real, ${(s.emulatedMs / 1000).toFixed(3)} s emulated`);
  }
  for (const [name, value] of Object.entries(r.metrics ?? {})) summary.push(`metric ${name} = ${value}`);
  out.push(`      <system-out>${xmlText(summary.join('\n'))}</system-out>`, '    </testcase>');
  return out;
}

function failureDetail(error: ScenarioFailure): string {
  const lines: string[] = [];
  if (error.step) lines.push(`step: ${error.step}`);
  if (error.expected !== undefined) lines.push(`expected: ${show(error.expected)}`);
  if (error.actual !== undefined) lines.push(`actual: ${show(error.actual)}`);
  lines.push(error.message);
  return lines.join('\n');
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function counts(results: readonly ScenarioResult[]): Record<string, number> {
  const n = (s: ScenarioResult['status']) => results.filter((r) => r.status === s).length;
  return { tests: results.length, failures: n('failed'), errors: 0, skipped: n('skipped') };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
