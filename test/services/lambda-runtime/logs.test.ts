import { afterAll, describe, expect, it } from 'vitest';
import { testRuntime } from './helpers.ts';

const TIME = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

describe('lambda: handler output', () => {
  const { runtime, trace, log } = testRuntime({ logs: { handler: 'logs.handler' }, chatty: { handler: 'logs.chatty' } });
  afterAll(() => runtime.close());

  it('lambda: console output becomes lambda.log events formatted as Lambda\'s Node.js runtime writes them', async () => {
    await runtime.invoke('logs', {}, { requestId: 'log-1' });
    const lines = trace.events('lambda.log').filter((e) => e.functionName === 'logs');
    const expected: Array<[string | undefined, 'stdout' | 'stderr', string]> = [
      [undefined, 'stdout', `^${TIME}\tundefined\tINFO\tat init$`],
      ['log-1', 'stdout', `^${TIME}\tlog-1\tINFO\thello world \\{ n: 1 \\}$`],
      ['log-1', 'stdout', `^${TIME}\tlog-1\tINFO\tinfo$`],
      ['log-1', 'stdout', `^${TIME}\tlog-1\tWARN\twarn$`],
      ['log-1', 'stdout', `^${TIME}\tlog-1\tERROR\terror$`],
      ['log-1', 'stdout', `^${TIME}\tlog-1\tDEBUG\tdebug$`],
      ['log-1', 'stdout', `^${TIME}\tlog-1\tINFO\ttwo\nlines$`],
      ['log-1', 'stdout', '^raw line$'],
      ['log-1', 'stderr', '^to stderr$'],
      ['log-1', 'stdout', '^partial$'],
    ];
    expect(lines).toHaveLength(expected.length);
    expected.forEach(([requestId, stream, pattern], i) => {
      expect(lines[i]).toMatchObject({ requestId, stream, text: expect.stringMatching(new RegExp(pattern)) });
    });
    expect(log.lines.filter((l) => l.level === 'debug').map((l) => l.message)).toContain('[logs] raw line');
  });

  it('lambda: a chatty handler\'s lines all arrive, in order, before its invocation ends', async () => {
    await runtime.invoke('chatty', { lines: 2_000 }, { requestId: 'chatty-1' });
    const lines = trace.events('lambda.log').filter((e) => e.requestId === 'chatty-1');
    expect(lines).toHaveLength(2_000);
    expect(lines[1_999]!.text.endsWith('\tINFO\tline 1999')).toBe(true);
    const end = trace.events('lambda.invoke.end').find((e) => e.requestId === 'chatty-1')!;
    expect(end.seq).toBeGreaterThan(lines[1_999]!.seq);
  });
});
