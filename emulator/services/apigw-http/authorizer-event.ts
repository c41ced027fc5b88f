import { buildRequestContextV2, isEmpty, type EventContext, type RequestContextV2 } from './event.ts';
import { dict, queryPairs, type IncomingRequest } from './request.ts';

/**
 * The events an HTTP API sends to a Lambda authorizer, one pure function per authorizer payload
 * version, as documented (http-api-lambda-authorizer) and sampled in
 * fixtures/events/aws-lambda-go/apigw-v2-custom-authorizer-v{1,2}-request.json.
 */

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`, the path without the stage. */
export function routeArn(region: string, context: EventContext, request: IncomingRequest): string {
  return `arn:aws:execute-api:${region}:${context.accountId}:${context.apiId}/${context.stage}/${request.method}${request.routePath}`;
}

export interface AuthorizerEventV2 {
  version: '2.0';
  type: 'REQUEST';
  routeArn: string;
  identitySource: string[];
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: RequestContextV2;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
}

/** Like the 2.0 route event without `body`/`isBase64Encoded`; empty optional fields left out likewise. */
export function buildAuthorizerEventV2(request: IncomingRequest, context: EventContext, arn: string, identity: string[]): AuthorizerEventV2 {
  const event: Partial<AuthorizerEventV2> = { version: '2.0', type: 'REQUEST', routeArn: arn, identitySource: identity, routeKey: context.routeKey, rawPath: request.rawPath, rawQueryString: request.rawQueryString };
  if (request.cookies.length > 0) event.cookies = request.cookies;
  event.headers = request.headers;
  if (request.query) event.queryStringParameters = request.query;
  event.requestContext = buildRequestContextV2(request, { ...context, authorizer: undefined });
  if (!isEmpty(context.pathParameters)) event.pathParameters = context.pathParameters;
  if (!isEmpty(context.stageVariables)) event.stageVariables = context.stageVariables;
  return event as AuthorizerEventV2;
}

export interface AuthorizerEventV1 {
  version: '1.0';
  type: 'REQUEST';
  methodArn: string;
  identitySource: string;
  authorizationToken: string;
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string>;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string>;
  requestContext: Record<string, unknown>;
}

/**
 * REST-compatible (§2.11 `REQUEST`) with `version: "1.0"`: the identity values comma-joined in both
 * `identitySource` and `authorizationToken`, headers with the client's case (last value of a repeated
 * name), empty maps as `{}` as in AWS's sample. HTTP APIs have no API keys or REST resources, so
 * `identity.apiKey` is left out and `resourceId` is null, as in the 1.0 route event.
 */
export function buildAuthorizerEventV1(request: IncomingRequest, context: EventContext, arn: string, identity: string[]): AuthorizerEventV1 {
  const resource = context.routeKey === '$default' ? '$default' : context.routeKey.slice(context.routeKey.indexOf(' ') + 1);
  const headers = dict<string>();
  for (const [name, value] of request.headerList) headers[name] = value;
  const joined = identity.join(',');
  return {
    version: '1.0',
    type: 'REQUEST',
    methodArn: arn,
    identitySource: joined,
    authorizationToken: joined,
    resource,
    path: request.routePath,
    httpMethod: request.method,
    headers,
    queryStringParameters: Object.fromEntries(queryPairs(request.rawQueryString)),
    pathParameters: { ...context.pathParameters },
    stageVariables: { ...context.stageVariables },
    requestContext: {
      path: request.rawPath,
      accountId: context.accountId,
      resourceId: null,
      stage: context.stage,
      requestId: context.requestId,
      identity: { sourceIp: request.sourceIp },
      resourcePath: resource,
      httpMethod: request.method,
      apiId: context.apiId,
    },
  };
}
