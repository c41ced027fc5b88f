import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, HOST, startAuthApi, type AuthTestApi } from './auth-support.ts';
import { RealtimeClient } from './realtime-support.ts';

// Real sockets and real Lambda workers; the manual clock moves only when a test advances it.
let t: AuthTestApi;
beforeAll(async () => {
  t = await startAuthApi();
});
afterAll(() => t.close());

const ON_POST = 'subscription { onPost { id title } }';
const data = (query: string): string => JSON.stringify({ query, variables: {} });

/** Per mode: the handshake's header object and a start's `extensions.authorization` (reference §2.2). */
const modes: Array<[string, () => Promise<Record<string, string>>, (payloadData: string) => Promise<Record<string, string>>]> = [
  ['API_KEY', async () => ({ host: HOST, 'x-api-key': API_KEY }), async () => ({ host: HOST, 'x-api-key': API_KEY })],
  ['AMAZON_COGNITO_USER_POOLS', async () => ({ Authorization: await t.cognitoToken(), host: HOST }), async () => ({ Authorization: await t.cognitoToken(), host: HOST })],
  ['OPENID_CONNECT', async () => ({ Authorization: await t.oidcToken(), host: HOST }), async () => ({ Authorization: await t.oidcToken(), host: HOST })],
  ['AWS_LAMBDA', async () => ({ Authorization: 'allow', host: HOST }), async () => ({ Authorization: 'allow', host: HOST })],
  // IAM signs POST /graphql/connect with body {} for the connection, POST /graphql with payload.data for a start.
  ['AWS_IAM', () => t.iamHeaders(HOST, '/graphql/connect', '{}'), (payloadData) => t.iamHeaders(HOST, '/graphql', payloadData)],
];

async function open(header: Record<string, string>): Promise<RealtimeClient> {
  return RealtimeClient.open(t.realtimeUrl, ['graphql-ws', `header-${Buffer.from(JSON.stringify(header)).toString('base64url')}`]);
}

async function ready(header: Record<string, string>): Promise<RealtimeClient> {
  const client = await open(header);
  client.send('{"type":"connection_init"}');
  expect(await client.next()).toBe('{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}');
  expect(await client.next()).toBe('{"type":"ka"}');
  return client;
}

const start = (id: string, payloadData: string, authorization: Record<string, string>): string => JSON.stringify({ id, type: 'start', payload: { data: payloadData, extensions: { authorization } } });

describe('AppSync auth over real-time', () => {
  for (const [mode, handshake, perStart] of modes) {
    it(`AppSync auth: ${mode} authorizes the connection and a start, which then receives mutations`, async () => {
      const client = await ready(await handshake());
      const payloadData = data(ON_POST);
      client.send(start(`sub-${mode}`, payloadData, await perStart(payloadData)));
      expect(await client.next()).toBe(JSON.stringify({ type: 'start_ack', id: `sub-${mode}` }));
      const res = await t.gql(`mutation { addPost(id: "${mode}", title: "t") { id title } }`, { 'x-api-key': API_KEY });
      expect(res.status).toBe(200);
      expect(await client.next()).toBe(JSON.stringify({ type: 'data', id: `sub-${mode}`, payload: { data: { onPost: { id: mode, title: 't' } } } }));
      client.ws.close();
    });
  }

  it('AppSync auth: a start for a Subscription field its mode may not reach gets an Unauthorized error', async () => {
    const client = await ready({ host: HOST, 'x-api-key': API_KEY });
    client.send(start('admins', data('subscription { onPostForAdmins { id } }'), { host: HOST, 'x-api-key': API_KEY }));
    expect(await client.next()).toBe('{"type":"error","id":"admins","payload":{"errors":[{"errorType":"Unauthorized","message":"Not Authorized to access onPostForAdmins on type Subscription"}]}}');
    // Auth is per start: the same connection may subscribe as a Cognito admin.
    client.send(start('admins-2', data('subscription { onPostForAdmins { id } }'), { Authorization: await t.cognitoToken({ 'cognito:groups': ['admins'] }), host: HOST }));
    expect(await client.next()).toBe('{"type":"start_ack","id":"admins-2"}');
    client.ws.close();
  });

  it('AppSync auth: a start the Lambda authorizer refuses gets UnauthorizedException', async () => {
    const client = await ready({ host: HOST, 'x-api-key': API_KEY });
    client.send(start('denied', data(ON_POST), { Authorization: 'deny', host: HOST }));
    expect(await client.next()).toBe('{"type":"error","id":"denied","payload":{"errors":[{"errorType":"UnauthorizedException","message":"You are not authorized to make this call."}]}}');
    client.ws.close();
  });

  it('AppSync auth: an expired token in the handshake gets connection_error, then the socket closes', async () => {
    const token = await t.cognitoToken({ exp: Math.floor(t.clock.now() / 1000) + 1 });
    await t.clock.advance(1_000);
    const client = await open({ Authorization: token, host: HOST });
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe('{"type":"connection_error","payload":{"errors":[{"errorType":"UnauthorizedException","message":"Token has expired.","errorCode":401}]}}');
    expect(await client.closed).toEqual({ code: 1000, reason: '' });
  });
});
