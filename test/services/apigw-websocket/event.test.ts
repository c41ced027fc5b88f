import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConnectEvent, buildDisconnectEvent, buildMessageEvent } from '../../../emulator/services/apigw-websocket/event.ts';
import { awsFixture } from '../apigw-http/shape.ts';
import type { WsEvent } from './support.ts';

const ROOT = join(import.meta.dirname, '../../..');
const golden = (name: string): unknown => JSON.parse(readFileSync(join(ROOT, 'fixtures/events/apigw-websocket', name), 'utf8'));

/** The real captures (aws-lambda-go) are rebuilt from what they describe and must match exactly, key order included. */
describe('WebSocket API events', () => {
  it('WebSocket event: CONNECT equals the reference sample rebuilt from its handshake', () => {
    const event = buildConnectEvent(
      { apiId: 'abc123', stage: 'prod', domainName: 'abc123.execute-api.us-east-1.amazonaws.com' },
      { connectionId: 'L0SM9cOFvHcCIhw=', connectedAt: 1707480000000, sourceIp: '203.0.113.1', userAgent: 'wscat' },
      {
        rawHeaders: ['Host', 'abc123.execute-api.us-east-1.amazonaws.com', 'Connection', 'Upgrade', 'Upgrade', 'websocket', 'Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits', 'Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version', '13'],
        rawQuery: 'token=abc',
        traceId: 'Root=1-65c6147a-0123456789abcdef01234567',
      },
      { requestId: 'ABCD1234EFGH567=', requestTimeEpoch: 1707480000000 },
    );
    expect(event).toEqual(golden('connect.json'));
  });

  it('WebSocket event: MESSAGE equals AWS\'s captured $default message', () => {
    const aws = awsFixture('apigw-websocket-request-send-message.json') as WsEvent;
    const rc = aws.requestContext;
    const event = buildMessageEvent(
      { apiId: rc.apiId, stage: rc.stage, domainName: rc.domainName },
      { connectionId: rc.connectionId, connectedAt: rc.connectedAt, sourceIp: rc.identity.sourceIp, userAgent: rc.identity.userAgent },
      { routeKey: '$default', messageId: rc.messageId!, body: aws.body },
      { requestId: rc.requestId, requestTimeEpoch: rc.requestTimeEpoch },
    );
    expect(JSON.stringify(event)).toBe(JSON.stringify(aws));
  });

  it('WebSocket event: DISCONNECT equals AWS\'s captured browser-tab close (1001, "")', () => {
    const aws = awsFixture('apigw-websocket-request-disconnect.json') as WsEvent;
    const rc = aws.requestContext;
    const event = buildDisconnectEvent(
      { apiId: rc.apiId, stage: rc.stage, domainName: rc.domainName },
      { connectionId: rc.connectionId, connectedAt: rc.connectedAt, sourceIp: rc.identity.sourceIp, userAgent: rc.identity.userAgent },
      { statusCode: 1001, reason: '' },
      { requestId: rc.requestId, requestTimeEpoch: rc.requestTimeEpoch },
    );
    expect(JSON.stringify(event)).toBe(JSON.stringify(aws));
  });

  it('WebSocket event: the authorizer context rides in requestContext.authorizer; no User-Agent, no userAgent', () => {
    const event = buildMessageEvent(
      { apiId: 'a', stage: 'dev', domainName: 'd' },
      { connectionId: 'c', connectedAt: 1, sourceIp: '1.2.3.4', authorizer: { principalId: 'p', tenant: 't' } },
      { routeKey: 'x', messageId: 'm', body: '' },
      { requestId: 'r', requestTimeEpoch: 2 },
    ) as unknown as WsEvent;
    expect(event.requestContext.authorizer).toEqual({ principalId: 'p', tenant: 't' });
    expect(event.requestContext.identity).toEqual({ sourceIp: '1.2.3.4' });
  });
});
