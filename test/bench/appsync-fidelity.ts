import type { ChildProcess } from 'node:child_process';
import { graphql, openRealtime, publish, startFrame, subscriber, SUBSCRIPTION, type AppSyncTarget, type FrameReader } from './appsync-load.ts';

/**
 * What an AppSync stand-in must get right for a real-time app's client code to be tested against it,
 * asked of both servers with the same raw frames. A check that crashes the server fails, and the
 * server is started again for the next one (the caller's `start`).
 */
export interface CheckResult {
  pass: boolean;
  detail: string;
}

export interface Running {
  target: AppSyncTarget;
  child: ChildProcess;
  /** The first line of the server's stderr that names an error (a crash's cause), if any yet. */
  firstError(): string | undefined;
}

const TIMEOUT_MS = 2000;

async function acked(target: AppSyncTarget): Promise<FrameReader> {
  const reader = await openRealtime(target);
  reader.ws.send('{"type":"connection_init"}');
  const ack = await reader.next(TIMEOUT_MS);
  if (ack?.type !== 'connection_ack') throw new Error(`connection_init answered ${JSON.stringify(ack) ?? 'nothing'}`);
  return reader;
}

const short = (frame: Record<string, unknown> | undefined): string => (frame ? JSON.stringify(frame).slice(0, 90) : 'nothing');
const exited = (server: Running) => server.child.exitCode !== null || server.child.signalCode !== null;

async function protocol(server: Running): Promise<CheckResult> {
  const reader = await openRealtime(server.target);
  const subprotocol = reader.ws.protocol;
  reader.ws.send('{"type":"connection_init"}');
  const ack = await reader.next(TIMEOUT_MS);
  const timeout = (ack?.payload as Record<string, unknown> | undefined)?.connectionTimeoutMs;
  reader.ws.send(startFrame('p1', SUBSCRIPTION, { conversationId: 'p' }, server.target.apiKey));
  const started = await reader.next(TIMEOUT_MS);
  reader.ws.terminate();
  const pass = subprotocol === 'graphql-ws' && ack?.type === 'connection_ack' && typeof timeout === 'number' && started?.type === 'start_ack' && started.id === 'p1';
  return { pass, detail: `subprotocol "${subprotocol}"; ${short(ack)}; ${short(started)}` };
}

async function argumentFilter(server: Running): Promise<CheckResult> {
  const a = await subscriber(server.target, 'conv-a');
  const b = await subscriber(server.target, 'conv-b');
  await publish(server.target, 'conv-a', 0);
  await publish(server.target, 'conv-b', 1);
  const chunk = (f: Record<string, unknown> | undefined) => ((f?.payload as { data?: { onChunk?: { conversationId?: string } } } | undefined)?.data?.onChunk?.conversationId);
  const firstA = chunk(await a.next(TIMEOUT_MS));
  // Mutations are answered in order, so b's first frame is conv-a's chunk if filters filter nothing.
  const firstB = chunk(await b.next(TIMEOUT_MS));
  a.ws.terminate();
  b.ws.terminate();
  return { pass: firstA === 'conv-a' && firstB === 'conv-b', detail: `conv-a's subscriber first got ${firstA ?? 'nothing'}, conv-b's first got ${firstB ?? 'nothing'}` };
}

/** One bad frame on an acked connection: it must be answered with `error`, and a new connection must still be served. */
function malformed(frame: (key: string) => string) {
  return async (server: Running): Promise<CheckResult> => {
    const reader = await acked(server.target);
    reader.ws.send(frame(server.target.apiKey));
    const answer = await reader.next(TIMEOUT_MS);
    reader.ws.terminate();
    const errors = (answer?.payload as { errors?: Array<{ errorType?: string; message?: string }> } | undefined)?.errors;
    const answered = answer?.type === 'error' && Array.isArray(errors) && errors.length > 0;
    let serving: string;
    try {
      (await acked(server.target)).ws.terminate();
      serving = 'a new connection is acked';
    } catch (error) {
      serving = exited(server) ? `the server process exited (${server.child.exitCode ?? server.child.signalCode}): ${server.firstError() ?? '-'}` : `a new connection failed: ${(error as Error).message}`;
    }
    const detail = `answered ${answer ? `${String(answer.type)} ${errors?.[0]?.errorType ?? ''} ${String(errors?.[0]?.message ?? '').slice(0, 50)}` : 'nothing'}; ${serving}`;
    return { pass: answered && serving === 'a new connection is acked', detail };
  };
}

async function apiKey(server: Running): Promise<CheckResult> {
  const answer = await graphql(server.target, '{ echo(text: "x") { text } }', {}, 'da2-notthekey00000000000000');
  const errorType = (JSON.parse(answer.body) as { errors?: Array<{ errorType?: string }> }).errors?.[0]?.errorType;
  return { pass: answer.status === 401 && errorType === 'UnauthorizedException', detail: `HTTP ${answer.status}, ${errorType ?? 'no errorType'}` };
}

const CHECKS: Array<[string, (server: Running) => Promise<CheckResult>]> = [
  ['protocol: graphql-ws echoed, ack with connectionTimeoutMs, start_ack', protocol],
  ['argument filter: a non-matching subscriber gets nothing', argumentFilter],
  ['frame "not json" -> error, still serving', malformed(() => 'not json')],
  ['frame of unknown type -> error, still serving', malformed(() => '{"type":"subscribe_all","id":"u1"}')],
  ['start with a GraphQL syntax error -> error, still serving', malformed((key) => startFrame('s1', 'subscription { onChunk(', {}, key))],
  ['start without payload -> error, still serving', malformed(() => '{"id":"s2","type":"start"}')],
  ['wrong API key on POST /graphql -> 401 UnauthorizedException', apiKey],
];

export async function fidelityChecks(start: () => Promise<Running>): Promise<Array<[string, CheckResult]>> {
  const results: Array<[string, CheckResult]> = [];
  let server = await start();
  for (const [name, check] of CHECKS) {
    if (exited(server)) server = await start();
    try {
      results.push([name, await check(server)]);
    } catch (error) {
      results.push([name, { pass: false, detail: `${(error as Error).message}${exited(server) ? ' (the server process exited)' : ''}` }]);
    }
  }
  server.child.kill();
  return results;
}
