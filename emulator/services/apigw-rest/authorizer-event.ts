import { buildRequestContext, type RequestContextInput } from './event.ts';
import type { EventHeaders } from './headers.ts';
import type { QueryParameters } from './request.ts';

/**
 * Lambda authorizer input events for REST APIs (reference §2.11, fixtures apigw-custom-auth-*.json).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 */

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path without leading slash>` */
export function methodArn(a: { region: string; accountId: string; apiId: string; stage: string; method: string; path: string }): string {
  return `arn:aws:execute-api:${a.region}:${a.accountId}:${a.apiId}/${a.stage}/${a.method}/${a.path.slice(1)}`;
}

export function buildTokenAuthorizerEvent(token: string, arn: string): { type: 'TOKEN'; authorizationToken: string; methodArn: string } {
  return { type: 'TOKEN', authorizationToken: token, methodArn: arn };
}

export interface RequestAuthorizerEventInput {
  methodArn: string;
  context: RequestContextInput;
  headers: EventHeaders;
  query: QueryParameters;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
}

/**
 * No body and no `isBase64Encoded`. AWS's example shows `pathParameters: {}` where the proxy event has
 * `null`; the emulator applies the same empty-map rule to the query and stage-variable maps.
 */
export function buildRequestAuthorizerEvent(input: RequestAuthorizerEventInput): Record<string, unknown> {
  return {
    type: 'REQUEST',
    methodArn: input.methodArn,
    resource: input.context.resourcePath,
    path: input.context.path,
    httpMethod: input.context.httpMethod,
    headers: input.headers.headers,
    multiValueHeaders: input.headers.multiValueHeaders,
    queryStringParameters: input.query.single ?? {},
    multiValueQueryStringParameters: input.query.multi ?? {},
    pathParameters: input.pathParameters ?? {},
    stageVariables: input.stageVariables ?? {},
    requestContext: buildRequestContext({ ...input.context, apiKey: undefined, authorizer: undefined }),
  };
}
