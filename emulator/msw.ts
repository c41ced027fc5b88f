import { http, type HttpHandler } from 'msw';
import { ScaledClock, type Clock } from './core/clock.ts';
import { validateConfig } from './core/config.ts';
import { EmulatorError } from './core/errors.ts';
import { consoleLog, type Log } from './core/log.ts';
import { Trace } from './core/trace.ts';
import type { BedrockOptionsInput } from './services/bedrock/options.ts';
import { toFetchResponse, toHttpRequest } from './services/bedrock/msw-adapter.ts';
import { createBedrockRuntime } from './services/bedrock/router.ts';

/**
 * `genai-offline/msw`: the Bedrock runtime mock as msw request handlers, for unit tests of code that
 * calls Bedrock, in-process and without a port. The same router, scripts, latency and faults as the
 * emulator's Bedrock endpoint answer; only the wire differs.
 *
 * The AWS SDK's default Node handler speaks HTTP/2 (`node:http2`), which msw does not intercept: such a
 * client goes to the network. Give the client `new NodeHttpHandler()` (HTTP/1.1, `node:http`), which
 * msw does intercept. Nothing else changes, not even the endpoint.
 *
 * @example
 * import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
 * import { NodeHttpHandler } from '@smithy/node-http-handler';
 * import { setupServer } from 'msw/node';
 * import { bedrockHandlers } from 'genai-offline/msw';
 *
 * const server = setupServer(...bedrockHandlers());
 * beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
 * afterAll(() => server.close());
 *
 * // Fixed credentials: the default chain could otherwise try the instance metadata service, which msw
 * // would report as an unhandled request.
 * const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
 * const client = new BedrockRuntimeClient({ region: 'us-east-1', credentials, requestHandler: new NodeHttpHandler() });
 * const out = await client.send(new ConverseCommand({ modelId: 'amazon.nova-micro-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
 *
 * // Faults, scripts and latency are the `bedrock` block of genai-offline.config; the trace records each call:
 * const mock = createBedrockMock({ bedrock: { faults: [{ error: 'ThrottlingException', on: { requestNumber: 1 } }] } });
 * server.use(...mock.handlers);
 * expect(mock.trace.events('bedrock.response').map((e) => e.status)).toEqual([429, 200]);
 *
 * Time: replies are paced on the mock's clock, compressed by default (MSW_DEFAULT_TIME_SCALE), so
 * reported latencies (`metrics.latencyMs`) include the process's own real time, magnified by the same
 * factor. Pass `clock: new ManualClock()` to control time exactly: a call then waits until the test
 * advances the clock (`await clock.advance(ms)`).
 *
 * Unlike the emulator's port, msw does not stop reading a response stream when the client aborts: the
 * mock's stream then runs to its end on the clock (harmless, the frames go nowhere).
 */
export interface BedrockMockOptions {
  /** The `bedrock` block of genai-offline.config: scripts, latency, faults, mock seed. */
  bedrock?: BedrockOptionsInput;
  /**
   * Real seconds per emulated second, as in genai-offline.config. Defaults to {@link MSW_DEFAULT_TIME_SCALE}
   * (not the config's 1): a unit test wants answers at once but still paced, in order, on the same clock.
   */
  timeScale?: number;
  /** A clock to use instead (e.g. a `ManualClock` the test advances); `timeScale` is then ignored. */
  clock?: Clock;
  /**
   * More endpoints to answer on besides `https://bedrock-runtime.<any region>.amazonaws.com`, e.g. the
   * `endpoint` a client is given (`http://localhost:4010`). A path in the URL is a prefix the SDK adds.
   */
  baseUrls?: string[];
  /** Where the mock reports its own bugs; warnings and errors go to the console by default. */
  log?: Log;
}

export interface BedrockMock {
  /** Pass to `setupServer(...handlers)` or `server.use(...handlers)`. */
  handlers: HttpHandler[];
  /** Every request, response and injected fault, in order (`bedrock.request`, `bedrock.response`, `bedrock.fault`). */
  trace: Trace;
  clock: Clock;
}

/**
 * 1 emulated second lasts 1 real millisecond: a default-latency reply (about 1.2 emulated seconds)
 * takes a few ms. Not 0: ScaledClock needs a scale above 0, and pacing (chunks in order, each at its
 * instant) stays observable for code that measures time to first token.
 */
export const MSW_DEFAULT_TIME_SCALE = 0.001;

/** Bedrock runtime in every region of the aws partition (FIPS endpoints included). */
export const BEDROCK_RUNTIME_BASE_URL = 'https://bedrock-runtime*.amazonaws.com';

/** The runtime's path shapes (reference 4.1); the router decides which operations exist. */
const PATHS = ['/model/:modelId/:operation', '/guardrail/:guardrailIdentifier/version/:guardrailVersion/apply'];

/** The handlers alone, for the common case: `setupServer(...bedrockHandlers())`. */
export function bedrockHandlers(options: BedrockMockOptions = {}): HttpHandler[] {
  return createBedrockMock(options).handlers;
}

/** Handlers plus the trace and clock behind them; one mock shares fault counters and trace across handlers. */
export function createBedrockMock(options: BedrockMockOptions = {}): BedrockMock {
  const config = validateConfig({ bedrock: options.bedrock, timeScale: options.timeScale ?? MSW_DEFAULT_TIME_SCALE }, 'genai-offline/msw options');
  const clock = options.clock ?? new ScaledClock({ timeScale: config.timeScale });
  const trace = new Trace(clock);
  const runtime = createBedrockRuntime(config.bedrock, { clock, trace, log: options.log ?? consoleLog('warn') });
  const handlers: HttpHandler[] = [];
  for (const base of [BEDROCK_RUNTIME_BASE_URL, ...(options.baseUrls ?? [])]) {
    const { origin, prefix } = splitBaseUrl(base);
    for (const path of PATHS) {
      handlers.push(http.all(`${origin}${prefix}${path}`, async ({ request }) => toFetchResponse(await runtime.handle(await toHttpRequest(request, prefix)))));
    }
  }
  return { handlers, trace, clock };
}

/** Splits `http://host:port/prefix/` into origin and path prefix without URL parsing, so wildcards survive. */
function splitBaseUrl(base: string): { origin: string; prefix: string } {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)(\/[^?#]*)?$/i.exec(base);
  if (!match) throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to use base URL "${base}": it is not an absolute URL. Pass e.g. "http://localhost:4010".`);
  return { origin: match[1]!, prefix: (match[2] ?? '').replace(/\/+$/, '') };
}
