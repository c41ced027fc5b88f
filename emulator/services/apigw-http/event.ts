import { clfTime } from '../../core/ids.ts';
import { encodeRequestBody } from './body.ts';
import type { IncomingRequest } from './request.ts';

/**
 * The Lambda event for payload format 2.0, built by a pure function so it can be checked field by field
 * against AWS's captured samples (fixtures/events/aws-lambda-go/apigw-v2-*.json) and our own goldens
 * (fixtures/events/apigw-http/). Reference §3.2.
 */

/** What an authorizer established, before either payload version shapes it. */
export type AuthorizerOutput =
  | { kind: 'jwt'; claims: Record<string, string>; scopes: string[] | null }
  | { kind: 'lambda'; context: Record<string, unknown>; principalId?: string };

/** Everything the event needs that is not in the request itself. */
export interface EventContext {
  accountId: string;
  apiId: string;
  domainName: string;
  stage: string;
  requestId: string;
  /** Emulated epoch milliseconds when the request arrived. */
  timeEpoch: number;
  /** `GET /items/{id}` or `$default`. */
  routeKey: string;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  authorizer?: AuthorizerOutput;
}

export interface HttpEventV2 {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: RequestContextV2;
  body?: string;
  pathParameters?: Record<string, string>;
  isBase64Encoded: boolean;
  stageVariables?: Record<string, string>;
}

export interface RequestContextV2 {
  accountId: string;
  apiId: string;
  authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] | null } } | { lambda: Record<string, unknown> };
  domainName: string;
  domainPrefix: string;
  http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
  requestId: string;
  routeKey: string;
  stage: string;
  time: string;
  timeEpoch: number;
}

/**
 * Empty optional fields (`cookies`, `queryStringParameters`, `pathParameters`, `stageVariables`, `body`)
 * are left out rather than set to null, as HTTP APIs send them (reference §9 #12). Keys follow the order
 * of AWS's documented example.
 */
export function buildEventV2(request: IncomingRequest, context: EventContext): HttpEventV2 {
  const { body, isBase64Encoded } = encodeRequestBody(request.body, request.headers['content-type']);
  // Built key by key in the order of AWS's documented example, so serialised events read alike.
  const event: Partial<HttpEventV2> = { version: '2.0', routeKey: context.routeKey, rawPath: request.rawPath, rawQueryString: request.rawQueryString };
  if (request.cookies.length > 0) event.cookies = request.cookies;
  event.headers = request.headers;
  if (request.query) event.queryStringParameters = request.query;
  event.requestContext = buildRequestContextV2(request, context);
  if (body !== undefined) event.body = body;
  if (!isEmpty(context.pathParameters)) event.pathParameters = context.pathParameters;
  event.isBase64Encoded = isBase64Encoded;
  if (!isEmpty(context.stageVariables)) event.stageVariables = context.stageVariables;
  return event as HttpEventV2;
}

export function buildRequestContextV2(request: IncomingRequest, context: EventContext): RequestContextV2 {
  const requestContext: Partial<RequestContextV2> = { accountId: context.accountId, apiId: context.apiId };
  const authorizer = authorizerV2(context.authorizer);
  if (authorizer) requestContext.authorizer = authorizer;
  requestContext.domainName = context.domainName;
  requestContext.domainPrefix = domainPrefix(context.domainName);
  requestContext.http = { method: request.method, path: request.rawPath, protocol: request.protocol, sourceIp: request.sourceIp, userAgent: request.userAgent };
  requestContext.requestId = context.requestId;
  requestContext.routeKey = context.routeKey;
  requestContext.stage = context.stage;
  requestContext.time = clfTime(context.timeEpoch);
  requestContext.timeEpoch = Math.floor(context.timeEpoch);
  return requestContext as RequestContextV2;
}

function authorizerV2(output: AuthorizerOutput | undefined): RequestContextV2['authorizer'] {
  if (!output) return undefined;
  if (output.kind === 'jwt') return { jwt: { claims: output.claims, scopes: output.scopes } };
  return { lambda: output.context };
}

export function isEmpty(record: Record<string, unknown> | undefined): boolean {
  if (!record) return true;
  for (const _ in record) return false;
  return true;
}

export function domainPrefix(domainName: string): string {
  const dot = domainName.indexOf('.');
  return dot === -1 ? domainName : domainName.slice(0, dot);
}
