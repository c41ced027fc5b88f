import { clfTime } from '../../core/ids.ts';
import { buildEventHeaders } from '../apigw-rest/headers.ts';
import { parseQuery } from '../apigw-rest/request.ts';

/**
 * The WebSocket API's Lambda proxy events (reference §4.6), one pure builder per event type, checked
 * against fixtures/events/apigw-websocket/. Shared rules:
 * - `requestId` and `extendedRequestId` are the same base64 id, as in every public capture.
 * - `identity` carries `sourceIp` and `userAgent` (omitted when the client sent no User-Agent).
 * - `authorizer` (the `$connect` authorizer's `context` plus `principalId`) appears in every event
 *   after the authorizer allowed the connection, CONNECT included.
 * - CONNECT carries the handshake headers as REST's 1.0 events do (client spelling, last value wins,
 *   plus X-Forwarded-*, X-Amzn-Trace-Id); `queryStringParameters` and its multi-value twin are
 *   omitted without a query string (our choice: captures without a query show neither key).
 * - DISCONNECT carries the fixed header set AWS sends (`Host`, `x-api-key`, `X-Forwarded-For`,
 *   `x-restapi`, the last three empty), whatever the handshake had.
 */

export interface ApiInfo {
  apiId: string;
  stage: string;
  domainName: string;
}

export interface ConnectionInfo {
  connectionId: string;
  connectedAt: number;
  sourceIp: string;
  userAgent?: string;
  authorizer?: Record<string, unknown>;
}

export interface Handshake {
  rawHeaders: readonly string[];
  rawQuery: string;
  traceId: string;
}

interface Common {
  requestId: string;
  requestTimeEpoch: number;
}

export interface DisconnectStatus {
  statusCode: number;
  reason: string;
}

function requestContext(api: ApiInfo, conn: ConnectionInfo, at: Common, fields: { routeKey: string; eventType: string; messageId?: string; disconnect?: DisconnectStatus }): Record<string, unknown> {
  const context: Record<string, unknown> = { routeKey: fields.routeKey };
  if (fields.messageId !== undefined) context.messageId = fields.messageId;
  if (fields.disconnect) context.disconnectStatusCode = fields.disconnect.statusCode;
  context.eventType = fields.eventType;
  context.extendedRequestId = at.requestId;
  context.requestTime = clfTime(at.requestTimeEpoch);
  context.messageDirection = 'IN';
  if (fields.disconnect) context.disconnectReason = fields.disconnect.reason;
  context.stage = api.stage;
  context.connectedAt = conn.connectedAt;
  context.requestTimeEpoch = Math.floor(at.requestTimeEpoch);
  context.identity = conn.userAgent === undefined ? { sourceIp: conn.sourceIp } : { userAgent: conn.userAgent, sourceIp: conn.sourceIp };
  if (conn.authorizer) context.authorizer = conn.authorizer;
  context.requestId = at.requestId;
  context.domainName = api.domainName;
  context.connectionId = conn.connectionId;
  context.apiId = api.apiId;
  return context;
}

export function buildConnectEvent(api: ApiInfo, conn: ConnectionInfo, handshake: Handshake, at: Common): Record<string, unknown> {
  const { headers, multiValueHeaders } = buildEventHeaders(handshake.rawHeaders, { sourceIp: conn.sourceIp, traceId: handshake.traceId });
  const query = parseQuery(handshake.rawQuery);
  return {
    headers,
    multiValueHeaders,
    ...(query.single ? { queryStringParameters: query.single, multiValueQueryStringParameters: query.multi } : {}),
    requestContext: requestContext(api, conn, at, { routeKey: '$connect', eventType: 'CONNECT' }),
    isBase64Encoded: false,
  };
}

export function buildMessageEvent(api: ApiInfo, conn: ConnectionInfo, message: { routeKey: string; messageId: string; body: string }, at: Common): Record<string, unknown> {
  return {
    requestContext: requestContext(api, conn, at, { routeKey: message.routeKey, eventType: 'MESSAGE', messageId: message.messageId }),
    body: message.body,
    isBase64Encoded: false,
  };
}

export function buildDisconnectEvent(api: ApiInfo, conn: ConnectionInfo, status: DisconnectStatus, at: Common): Record<string, unknown> {
  const headers = { Host: api.domainName, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' };
  return {
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    requestContext: requestContext(api, conn, at, { routeKey: '$disconnect', eventType: 'DISCONNECT', disconnect: status }),
    isBase64Encoded: false,
  };
}
