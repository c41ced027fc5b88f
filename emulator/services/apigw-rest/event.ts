import { clfTime } from '../../core/ids.ts';
import type { EventHeaders } from './headers.ts';
import type { QueryParameters } from './request.ts';
import type { ProxyEventV1 } from '../apigw-common/proxy-event-v1.ts';

/**
 * The Lambda proxy integration event, payload format 1.0 (reference §2.4), built by pure functions.
 * Every top-level field is always present, `null` when absent. `requestContext` carries the keys a
 * 2024 AWS capture shows (LocalStack test_apigateway_lambda snapshot), in the order AWS's own example
 * event lists them:
 * - `identity` has the twelve IAM/Cognito keys, all `null` except `sourceIp`/`userAgent`;
 *   `apiKey`/`apiKeyId` appear only when the method required an API key; `clientCert` only with mTLS
 *   (not emulated).
 * - `authorizer` appears only when a Lambda authorizer ran.
 * - `path` includes the stage (`/dev/items`), the top-level `path` does not.
 */

export interface AuthorizerOutput {
  principalId: string;
  /** Already stringified as API Gateway does (numbers and booleans become strings, null stays). */
  context: Record<string, string | null>;
  /** Emulated ms the authorizer took; 0 when the result came from the cache. */
  integrationLatency: number;
}

export interface RequestContextInput {
  accountId: string;
  apiId: string;
  /** `<apiId>.execute-api.<region>.amazonaws.com` */
  domainName: string;
  deploymentId: string;
  stage: string;
  resourceId: string;
  resourcePath: string;
  httpMethod: string;
  /** Resource path as sent, without the stage. */
  path: string;
  protocol: string;
  requestId: string;
  extendedRequestId: string;
  /** Emulated epoch ms at which the request arrived. */
  requestTimeEpoch: number;
  sourceIp: string;
  userAgent: string | null;
  apiKey?: { value: string; id: string };
  authorizer?: AuthorizerOutput;
}

export function buildIdentity(input: RequestContextInput): Record<string, unknown> {
  const identity: Record<string, unknown> = {
    cognitoIdentityPoolId: null,
    accountId: null,
    cognitoIdentityId: null,
    caller: null,
    sourceIp: input.sourceIp,
    principalOrgId: null,
    accessKey: null,
    cognitoAuthenticationType: null,
    cognitoAuthenticationProvider: null,
    userArn: null,
    userAgent: input.userAgent,
    user: null,
  };
  if (input.apiKey) {
    identity.apiKey = input.apiKey.value;
    identity.apiKeyId = input.apiKey.id;
  }
  return identity;
}

export function buildRequestContext(input: RequestContextInput): Record<string, unknown> {
  const context: Record<string, unknown> = {
    resourceId: input.resourceId,
    resourcePath: input.resourcePath,
    httpMethod: input.httpMethod,
    extendedRequestId: input.extendedRequestId,
    requestTime: clfTime(input.requestTimeEpoch),
    path: `/${input.stage}${input.path}`,
    accountId: input.accountId,
    protocol: input.protocol,
    stage: input.stage,
    domainPrefix: input.apiId,
    requestTimeEpoch: input.requestTimeEpoch,
    requestId: input.requestId,
    identity: buildIdentity(input),
    domainName: input.domainName,
    deploymentId: input.deploymentId,
    apiId: input.apiId,
  };
  if (input.authorizer) {
    context.authorizer = { ...input.authorizer.context, principalId: input.authorizer.principalId, integrationLatency: input.authorizer.integrationLatency };
  }
  return context;
}

export interface ProxyEventInput {
  context: RequestContextInput;
  headers: EventHeaders;
  query: QueryParameters;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  body: Buffer;
  /** Whether the request `Content-Type` matched `binaryMediaTypes`. */
  binaryBody: boolean;
}

export type RestProxyEvent = ProxyEventV1;

export function buildProxyEvent(input: ProxyEventInput): RestProxyEvent {
  const hasBody = input.body.length > 0;
  return {
    resource: input.context.resourcePath,
    path: input.context.path,
    httpMethod: input.context.httpMethod,
    headers: input.headers.headers,
    multiValueHeaders: input.headers.multiValueHeaders,
    queryStringParameters: input.query.single,
    multiValueQueryStringParameters: input.query.multi,
    pathParameters: input.pathParameters,
    stageVariables: input.stageVariables,
    requestContext: buildRequestContext(input.context),
    body: hasBody ? input.body.toString(input.binaryBody ? 'base64' : 'utf8') : null,
    isBase64Encoded: hasBody && input.binaryBody,
  };
}
