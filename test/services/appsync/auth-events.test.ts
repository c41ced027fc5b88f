import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, startAuthApi, UNAUTHORIZED_BODY, type AuthTestApi } from './auth-support.ts';
import { RealtimeClient } from './realtime-support.ts';
import { post } from './support.ts';

// The Events API of the multi-auth fixture: every configured mode may publish and subscribe (no directives).
let t: AuthTestApi;
beforeAll(async () => {
  t = await startAuthApi();
});
afterAll(() => t.close());

const BODY = JSON.stringify({ channel: '/default/a', events: ['{"n":1}'] });
const publishHttp = (headers: Record<string, string>, body = BODY) => post(t.eventsUrl, body, { 'content-type': 'application/json', ...headers });

async function ready(header: Record<string, string>): Promise<RealtimeClient> {
  const client = await RealtimeClient.open(t.eventsRealtimeUrl, ['aws-appsync-event-ws', `header-${Buffer.from(JSON.stringify(header)).toString('base64url')}`]);
  client.send('{"type":"connection_init"}');
  expect(await client.next()).toBe('{"type":"connection_ack","connectionTimeoutMs":300000}');
  expect(await client.next()).toBe('{"type":"ka"}');
  return client;
}

describe('AppSync auth: Events API', () => {
  it('AppSync auth: POST /event accepts a Cognito token, a Lambda token and a SigV4 signature over the body', async () => {
    for (const headers of [{ authorization: await t.cognitoToken() }, { authorization: 'allow' }, await t.iamHeaders(new URL(t.eventsUrl).host, '/event', BODY)]) {
      const res = await publishHttp(headers);
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body) as { successful: unknown[] }).successful).toHaveLength(1);
    }
  });

  it('AppSync auth: POST /event refused by the mode is 401 with its text', async () => {
    const denied = await publishHttp({ authorization: 'deny' });
    expect(denied.status).toBe(401);
    expect(denied.body).toBe(UNAUTHORIZED_BODY('You are not authorized to make this call.'));
    const expired = await publishHttp({ authorization: await t.oidcToken({ exp: Math.floor(t.clock.now() / 1000) }) });
    expect(expired.status).toBe(401);
    expect(expired.body).toBe(UNAUTHORIZED_BODY('Token has expired.'));
  });

  it('AppSync auth: a socket authorized by a Lambda token subscribes with an OIDC token; a refused subscribe gets subscribe_error', async () => {
    const client = await ready({ Authorization: 'allow', host: HOST });
    client.send(JSON.stringify({ type: 'subscribe', id: 's1', channel: '/default/*', authorization: { Authorization: await t.oidcToken(), host: HOST } }));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"s1"}');
    client.send(JSON.stringify({ type: 'subscribe', id: 's2', channel: '/default/*', authorization: { Authorization: 'deny', host: HOST } }));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"s2","errors":[{"errorType":"UnauthorizedException","message":"You are not authorized to make this call."}]}');
    client.ws.close();
  });

  it('AppSync auth: a handshake token that fails verification ends the Events socket with connection_error', async () => {
    const client = await RealtimeClient.open(t.eventsRealtimeUrl, ['aws-appsync-event-ws', `header-${Buffer.from(JSON.stringify({ Authorization: 'a.b.c', host: HOST })).toString('base64url')}`]);
    expect(await client.next()).toBe('{"type":"connection_error","errors":[{"errorType":"UnauthorizedException","message":"Valid authorization header not provided."}]}');
    expect(await client.closed).toEqual({ code: 1000, reason: '' });
  });
});
