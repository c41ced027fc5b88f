import { clfTime } from '../../core/ids.ts';
import type { ProxyEventV1 } from '../apigw-common/proxy-event-v1.ts';
import { encodeRequestBody } from './body.ts';
import { domainPrefix, isEmpty, type AuthorizerOutput, type EventContext } from './event.ts';
import { dict, queryPairs, type IncomingRequest } from './request.ts';

/**
 * The Lambda event for payload format 1.0 on an HTTP API: REST's proxy shape with `version: "1.0"`,
 * as AWS documents it for HTTP APIs (http-api-develop-integrations-lambda, "1.0" example). Unlike 2.0,
 * absent values are `null`, header names keep the client's case, `cookie` stays a header, and the
 * single-value maps hold the last value of a repeated name.
 */
export type HttpEventV1 = { version: '1.0' } & ProxyEventV1;

/**
 * `resource` and `resourcePath` are the route's path template (`/items/{id}`), `$default` for the
 * `$default` route (AWS documents no example of that case). `path` is the request path without the
 * stage; `requestContext.path` keeps it, as REST does. HTTP APIs have one request id, so it is also
 * the `extendedRequestId`.
 */
export function buildEventV1(request: IncomingRequest, context: EventContext): HttpEventV1 {
  const resource = context.routeKey === '$default' ? '$default' : context.routeKey.slice(context.routeKey.indexOf(' ') + 1);
  const headers = dict<string>();
  const multiValueHeaders = dict<string[]>();
  for (const [name, value] of request.headerList) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const { body, isBase64Encoded } = encodeRequestBody(request.body, request.headers['content-type']);
  const query = multiQuery(request.rawQueryString);
  return {
    version: '1.0',
    resource,
    path: request.routePath,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query ? lastValues(query) : null,
    multiValueQueryStringParameters: query ?? null,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      authorizer: authorizerV1(context.authorizer),
      domainName: context.domainName,
      domainPrefix: domainPrefix(context.domainName),
      extendedRequestId: context.requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: request.userAgent,
        userArn: null,
      },
      path: request.rawPath,
      protocol: request.protocol,
      requestId: context.requestId,
      requestTime: clfTime(context.timeEpoch),
      requestTimeEpoch: Math.floor(context.timeEpoch),
      resourceId: null,
      resourcePath: resource,
      stage: context.stage,
    },
    pathParameters: isEmpty(context.pathParameters) ? null : context.pathParameters!,
    stageVariables: isEmpty(context.stageVariables) ? null : context.stageVariables!,
    body: body ?? null,
    isBase64Encoded,
  };
}

/**
 * AWS's 1.0 example shows `{"claims": null, "scopes": null}` on a route without an authorizer; JWT
 * claims fill it in. A Lambda authorizer's context is spread flat beside `principalId`, as on REST.
 */
function authorizerV1(output: AuthorizerOutput | undefined): Record<string, unknown> {
  if (!output) return { claims: null, scopes: null };
  if (output.kind === 'jwt') return { claims: output.claims, scopes: output.scopes };
  return output.principalId === undefined ? { ...output.context } : { ...output.context, principalId: output.principalId };
}

function multiQuery(rawQuery: string): Record<string, string[]> | undefined {
  let out: Record<string, string[]> | undefined;
  for (const [key, value] of queryPairs(rawQuery)) {
    out ??= dict<string[]>();
    (out[key] ??= []).push(value);
  }
  return out;
}

function lastValues(multi: Record<string, string[]>): Record<string, string> {
  const out = dict<string>();
  for (const key in multi) out[key] = multi[key]![multi[key]!.length - 1]!;
  return out;
}
