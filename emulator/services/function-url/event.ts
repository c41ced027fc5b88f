import { clfTime } from '../../core/ids.ts';
import { encodeRequestBody } from '../apigw-http/body.ts';
import type { IncomingRequest } from '../apigw-http/request.ts';

/**
 * The function URL event: payload 2.0 (reference §6.3) with no stage routing, built by a pure function
 * so a test can hold it against AWS's sample (lambda-urls-request.json) field by field. The request is
 * decoded by the HTTP API's `decodeRequest` (same headers, cookies, query and body rules).
 *
 * Where the documentation and captures differ we follow the documentation, as the reference's §9 #12
 * says: `routeKey`/`stage` `$default`, `requestContext.authentication: null`, `pathParameters` and
 * `stageVariables` `null`. Captured NONE events (Powertools' test event, AWS's 2022 slides) omit those
 * three and carry `requestContext.accountId: "anonymous"`; we do send `anonymous` for NONE, since no
 * document says otherwise, and the caller's account for AWS_IAM.
 */

/** What an AWS_IAM URL learned from a valid signature: `requestContext.authorizer.iam`. */
export interface IamCaller {
  accessKey: string;
  accountId: string;
  callerId: string;
  cognitoIdentity: null;
  principalOrgId: null;
  userArn: string;
  userId: string;
}

export interface FunctionUrlEventContext {
  /** The url-id: `apiId` and `domainPrefix`. */
  urlId: string;
  /** `<url-id>.lambda-url.<region>.on.aws`. */
  domainName: string;
  requestId: string;
  /** Emulated epoch milliseconds when the request arrived. */
  timeEpoch: number;
  /** Undefined for authType NONE. */
  iam?: IamCaller;
}

export interface FunctionUrlEvent {
  version: '2.0';
  routeKey: '$default';
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: FunctionUrlRequestContext;
  body?: string;
  pathParameters: null;
  isBase64Encoded: boolean;
  stageVariables: null;
}

export interface FunctionUrlRequestContext {
  accountId: string;
  apiId: string;
  authentication: null;
  authorizer?: { iam: IamCaller };
  domainName: string;
  domainPrefix: string;
  http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
  requestId: string;
  routeKey: '$default';
  stage: '$default';
  time: string;
  timeEpoch: number;
}

/** Keys in the order of AWS's documented example, so serialised events read alike. */
export function buildFunctionUrlEvent(request: IncomingRequest, context: FunctionUrlEventContext): FunctionUrlEvent {
  const { body, isBase64Encoded } = encodeRequestBody(request.body, request.headers['content-type']);
  const event: Partial<FunctionUrlEvent> = { version: '2.0', routeKey: '$default', rawPath: request.rawPath, rawQueryString: request.rawQueryString };
  if (request.cookies.length > 0) event.cookies = request.cookies;
  event.headers = request.headers;
  if (request.query) event.queryStringParameters = request.query;
  event.requestContext = requestContext(request, context);
  if (body !== undefined) event.body = body;
  event.pathParameters = null;
  event.isBase64Encoded = isBase64Encoded;
  event.stageVariables = null;
  return event as FunctionUrlEvent;
}

function requestContext(request: IncomingRequest, context: FunctionUrlEventContext): FunctionUrlRequestContext {
  const out: Partial<FunctionUrlRequestContext> = { accountId: context.iam?.accountId ?? 'anonymous', apiId: context.urlId, authentication: null };
  if (context.iam) out.authorizer = { iam: context.iam };
  out.domainName = context.domainName;
  out.domainPrefix = context.urlId;
  out.http = { method: request.method, path: request.rawPath, protocol: request.protocol, sourceIp: request.sourceIp, userAgent: request.userAgent };
  out.requestId = context.requestId;
  out.routeKey = '$default';
  out.stage = '$default';
  out.time = clfTime(context.timeEpoch);
  out.timeEpoch = Math.floor(context.timeEpoch);
  return out as FunctionUrlRequestContext;
}
