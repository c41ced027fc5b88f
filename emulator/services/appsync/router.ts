import { resolve as resolvePath } from 'node:path';
import { AwsHttpError, EmulatorError } from '../../core/errors.ts';
import type { HttpResponse } from '../../core/http.ts';
import { splitUrl } from '../../core/http.ts';
import { tracedResponse } from '../../core/traced-response.ts';
import { requestId as uuid, stableId } from '../../core/ids.ts';
import type { HttpService, ServiceDeps } from '../../core/service.ts';
import type { UpgradeDecision, WebSocketHandler } from '../../core/websocket.ts';
import type { LocalIssuer } from '../../core/local-issuer.ts';
import { AppSyncAuthorizer } from './auth/authorizer.ts';
import type { BedrockDispatch } from './data-sources/bedrock.ts';
import { compileResolvers } from './data-sources/compile.ts';
import { loadNamespaceCode } from './events-code-handlers.ts';
import { BadRequestException } from './errors.ts';
import { EventsServer } from './events.ts';
import { AppSyncGateway } from './gateway.ts';
import type { AppSyncApiOptions } from './options.ts';
import { RealtimeServer } from './realtime.ts';
import { setSubscriptionResolvers } from './realtime-start.ts';
import { loadAppSyncSchema } from './schema.ts';

export interface AppSyncExtra {
  /** Folder that `schema` is relative to (the config file's). */
  baseDir: string;
  /** Fixed request ids for golden tests; random UUIDs (as AWS's) by default. */
  ids?: { requestId?: () => string; connectionId?: () => string; eventId?: () => string };
  /** The emulator's Bedrock runtime, in-process, for AMAZON_BEDROCK_RUNTIME data sources (absent: bedrock disabled). */
  bedrock?: BedrockDispatch;
  /** The emulator's local JWT issuer: Cognito and OIDC modes verify tokens with its keys. */
  issuer?: LocalIssuer;
}

/** The path of the real-time endpoint on the API's own port (AppSync's custom-domain form, reference §2.1). */
export const REALTIME_PATH = '/graphql/realtime';
/** The Events API's HTTP publish and real-time paths (reference §3.1), on the same port. */
export const EVENTS_PATH = '/event';
export const EVENTS_REALTIME_PATH = '/event/realtime';

export interface AppSyncApi extends HttpService, WebSocketHandler {
  /** The key clients send as `x-api-key`: configured, or a stable `da2-` + 26 characters (accepted only with an API_KEY mode). */
  readonly apiKey: string;
  /** Whether the API serves the Events API (`events` configured). */
  readonly events: boolean;
  /** Whether the API serves GraphQL (`schema` configured); false for an Events-only API. */
  readonly graphql: boolean;
  /** Closes every real-time connection (the emulator is stopping). */
  shutdown(): void;
}

/** 10 MiB, as the HTTP listeners' body bound for the other APIs. */
const MAX_WIRE_BYTES = 10_485_760;

/** AppSync's own answer to anything but POST /graphql. Not documented; no capture found (README fidelity table). */
class NotFoundException extends AwsHttpError {
  constructor(reason: string) {
    super('NotFoundException', 404, '{\n  "errors" : [ {\n    "errorType" : "NotFoundException",\n    "message" : "Not Found"\n  } ]\n}', [['x-amzn-errortype', 'NotFoundException']], reason);
  }
}

/** A default API key in AppSync's format: `da2-` and 26 lowercase letters and digits, stable per API. */
export function defaultApiKey(api: string): string {
  return `da2-${stableId(`appsync-api-key:${api}`, 26)}`;
}

/**
 * An AppSync GraphQL API: the wire side. POST /graphql goes to the gateway; the answer is JSON with
 * `x-amzn-requestid`, request faults render themselves. Records `http.request` and `http.response`.
 */
export function createAppSyncApi(name: string, options: AppSyncApiOptions, sharedDeps: ServiceDeps, extra: AppSyncExtra): AppSyncApi {
  const deps: ServiceDeps = options.limits ? { ...sharedDeps, limits: { ...sharedDeps.limits, ...definedOnly(options.limits) } } : sharedDeps;
  // No schema: an Events-only API, where /graphql and /graphql/realtime answer 404 as any unknown path.
  const schema = options.schema === undefined ? undefined : loadAppSyncSchema(name, resolvePath(extra.baseDir, options.schema));
  for (const key of Object.keys(options.resolvers)) {
    const [type, field] = key.split('.') as [string, string];
    const parent = schema?.getType(type);
    if (!parent || !('getFields' in parent) || !(field in parent.getFields())) {
      throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to configure appsyncApis.${name}.resolvers["${key}"]: the schema has no field ${key}. Name an existing "Type.field".`);
    }
  }
  const apiKey = options.auth.flatMap((m) => (m.type === 'API_KEY' && m.apiKey !== undefined ? [m.apiKey] : []))[0] ?? defaultApiKey(name);
  const apiId = stableId(`appsync:${name}`, 26);
  const code = compileResolvers({ api: name, options, baseDir: extra.baseDir, deps, bedrock: extra.bedrock, subscriptionType: schema?.getSubscriptionType()?.name });
  if (schema) setSubscriptionResolvers(schema, code);
  const api = { name, apiId, apiKey, auth: new AppSyncAuthorizer({ name, apiId, apiKey }, options.auth, schema, deps, extra.issuer) };
  const newRequestId = extra.ids?.requestId ?? uuid;
  const { trace, log } = deps;
  const realtime = schema && new RealtimeServer(api, schema, deps, extra.ids?.connectionId ?? uuid);
  const events = options.events && new EventsServer(api, options.events, deps, extra.ids?.connectionId ?? uuid, extra.ids?.eventId ?? uuid, loadNamespaceCode({ api: name, events: options.events, baseDir: extra.baseDir, deps }));
  const gateway = schema && new AppSyncGateway(api, schema, options, deps, (document, operationName, data) => {
    try {
      realtime?.publish(document, operationName, data);
    } catch (error) {
      log.error(`Failed to deliver a mutation to AppSync API "${name}" subscribers: ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
    }
  }, code);

  async function respond(method: string, rawUrl: string, rawHeaders: string[], body: Buffer, requestId: string, sourceIp: string): Promise<HttpResponse | AwsHttpError> {
    const { path } = splitUrl(rawUrl);
    const isEvents = events !== undefined && path === EVENTS_PATH;
    if ((path !== '/graphql' && !isEvents) || method !== 'POST') return new NotFoundException(`${method} ${path}`);
    try {
      if (isEvents) return await events.publishHttp(rawHeaders, body);
      if (!gateway) return new NotFoundException(`${method} ${path}`);
      const result = await gateway.handle(rawHeaders, body, requestId, sourceIp);
      if (result instanceof AwsHttpError) return result;
      return { status: 200, headers: [['content-type', 'application/json; charset=UTF-8']], body: JSON.stringify(result) };
    } catch (error) {
      log.error(`Failed to handle ${method} ${rawUrl} on AppSync API "${name}": ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
      return new UnexpectedFailure();
    }
  }

  return {
    name,
    basePath: '',
    apiId,
    apiKey,
    // The listener's body bound and ws's maxPayload: well above AppSync's 240 KB, so an oversized
    // message gets AppSync's error from the service instead of ws's 1009 close.
    maxFrameBytes: MAX_WIRE_BYTES,
    maxMessageBytes: MAX_WIRE_BYTES,
    upgrade(request): Promise<UpgradeDecision> {
      const { path } = splitUrl(request.rawUrl);
      if (events && path === EVENTS_REALTIME_PATH) {
        return Promise.resolve(events.upgrade(request) ?? { accept: false, response: new BadRequestException('Missing the aws-appsync-event-ws subprotocol.').render() });
      }
      if (path !== REALTIME_PATH || !realtime) return Promise.resolve({ accept: false, response: new NotFoundException(`upgrade ${path}`).render() });
      const decision = realtime.upgrade(request);
      return Promise.resolve(decision ?? { accept: false, response: new BadRequestException('Missing the graphql-ws subprotocol.').render() });
    },
    events: events !== undefined,
    graphql: schema !== undefined,
    shutdown: () => {
      realtime?.shutdown();
      events?.shutdown();
    },
    handle(request) {
      const requestId = newRequestId();
      return tracedResponse(trace, name, request, requestId, 'x-amzn-requestid', () => respond(request.method, request.rawUrl, request.rawHeaders, request.body, requestId, request.sourceIp));
    },
  };
}

/** Our own failure, never AppSync's: a 500 that names no AWS error type on the wire. */
class UnexpectedFailure extends AwsHttpError {
  constructor() {
    super('InternalFailure', 500, '{\n  "errors" : [ {\n    "errorType" : "InternalFailure",\n    "message" : "An internal failure occurred."\n  } ]\n}', [], 'emulator failure');
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
