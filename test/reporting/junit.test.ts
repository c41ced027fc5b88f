import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../emulator/reporting/junit.ts';
import { parseXml, type XmlElement } from './support/parse-xml.ts';
import { NASTY, sampleReport } from './support/sample-report.ts';

const child = (e: XmlElement, name: string) => e.children.filter((c) => c.name === name);

// What the XML can carry of NASTY: the NUL and the lone surrogate become U+FFFD, the rest survives.
const NASTY_READ_BACK = NASTY.replace('\u0000', '\uFFFD').replace('\uD800', '\uFFFD');

describe('JUnit XML', () => {
  const xml = renderJunit(sampleReport());
  const root = parseXml(xml);

  it('is well-formed XML with a declaration', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(root.name).toBe('testsuites');
  });

  it('totals the run on <testsuites>, time in real seconds', () => {
    expect(root.attributes).toEqual({ name: 'genai-offline scenarios', tests: '4', failures: '2', errors: '0', skipped: '1', time: '1.600', timestamp: '2026-01-01T00:00:00.000Z' });
  });

  it('has one <testsuite> per pattern, in order of first appearance, with run properties', () => {
    const suites = child(root, 'testsuite');
    expect(suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures, s.attributes.skipped, s.attributes.time])).toEqual([
      ['sync-request-response', '2', '1', '0', '0.315'],
      ['other-pattern', '2', '1', '1', '1.200'],
    ]);
    const props = child(child(suites[0]!, 'properties')[0]!, 'property').map((p) => [p.attributes.name, p.attributes.value]);
    expect(props).toEqual([['runId', '20260101-000000-abcd'], ['mode', 'offline'], ['timeScale', '0.01']]);
  });

  it('has one <testcase> per scenario with classname = pattern and time in real seconds', () => {
    const cases = child(root, 'testsuite').flatMap((s) => child(s, 'testcase'));
    expect(cases.map((c) => c.attributes)).toEqual([
      { name: 'rest-happy-path', classname: 'sync-request-response', time: '0.013' },
      { name: 'rest-integration-timeout', classname: 'sync-request-response', time: '0.302' },
      { name: 'uses-trace', classname: 'other-pattern', time: '0.000' },
      { name: 'times-out', classname: 'other-pattern', time: '1.200' },
    ]);
    expect(cases[0]!.children.map((c) => c.name)).toEqual(['system-out']);
  });

  it('a failure carries message and type, and expected/actual in its text, escaped and read back intact', () => {
    const failed = child(child(root, 'testsuite')[0]!, 'testcase')[1]!;
    const [failure] = child(failed, 'failure');
    expect(failure!.attributes).toEqual({ message: `Expected body ${NASTY_READ_BACK}`, type: 'ScenarioAssertionError' });
    expect(failure!.text).toBe(['step: GET /slow answers 504', 'expected: {"message": "Endpoint request timed out"}', `actual: ${NASTY_READ_BACK}`, `Expected body ${NASTY_READ_BACK}`].join('\n'));
    const timeout = child(child(root, 'testsuite')[1]!, 'testcase')[1]!;
    expect(child(timeout, 'failure')[0]!.text).toBe('expected: {"maxSeconds":120}\nFailed to finish within the time budget.');
  });

  it('a skip carries its reason', () => {
    const skipped = child(child(root, 'testsuite')[1]!, 'testcase')[0]!;
    expect(child(skipped, 'skipped')[0]!.attributes).toEqual({ message: `offline only: ${NASTY_READ_BACK}` });
    expect(child(skipped, 'failure')).toEqual([]);
  });

  it('lists steps with real and emulated times in <system-out>', () => {
    const passed = child(child(root, 'testsuite')[0]!, 'testcase')[0]!;
    expect(child(passed, 'system-out')[0]!.text).toBe('REST API: POST /chat answers 200.\nemulated: 1.300 s\n✓ POST /chat  13 ms real, 1.250 s emulated');
  });

  it('lists a scenario\'s metrics (token timing) in <system-out> after its steps', () => {
    const withMetrics = sampleReport();
    withMetrics.results[0]!.metrics = { 'function-url.ttftMs': 412.5, 'function-url.arrivals': 14 };
    const passed = child(child(parseXml(renderJunit(withMetrics)), 'testsuite')[0]!, 'testcase')[0]!;
    expect(child(passed, 'system-out')[0]!.text).toBe('REST API: POST /chat answers 200.\nemulated: 1.300 s\n✓ POST /chat  13 ms real, 1.250 s emulated\nmetric function-url.ttftMs = 412.5\nmetric function-url.arrivals = 14');
  });

  it('keeps newlines in attributes as character references, so parsers do not fold them into spaces', () => {
    expect(xml).toContain('line2&#9;tab');
    expect(xml).toContain('&#10;line2');
    expect(xml).not.toMatch(/message="[^"]*\n/);
  });

  it('renders an empty run', () => {
    const empty = parseXml(renderJunit(sampleReport({ results: [] })));
    expect(empty.attributes.tests).toBe('0');
    expect(empty.children).toEqual([]);
  });
});
