import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ISSUER_URL } from '../../../emulator/core/local-issuer.ts';
import { appsyncApiOptionsSchema } from '../../../emulator/services/appsync/options.ts';
import { API_KEY, COGNITO_ISSUER, IAM, startAuthApi, UNAUTHORIZED_BODY, unauthorizedField, type AuthTestApi } from './auth-support.ts';

// Real sockets and real Lambda workers; the manual clock moves only when a test advances it.
let t: AuthTestApi;
beforeAll(async () => {
  t = await startAuthApi();
});
afterAll(() => t.close());

const WHOAMI = '{ whoami }';
const whoami = async (headers: Record<string, string>): Promise<unknown> => {
  const res = await t.gql(WHOAMI, headers);
  expect(res.status).toBe(200);
  return JSON.parse((JSON.parse(res.body) as { data: { whoami: string } }).data.whoami);
};

function expectUnauthorized(res: { status: number; headers: Record<string, unknown>; body: string }, message: string): void {
  expect(res.status).toBe(401);
  expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.body).toBe(UNAUTHORIZED_BODY(message));
}

describe('AppSync auth: API_KEY', () => {
  it('AppSync auth: the API key reaches the default mode\'s fields; ctx.identity is null', async () => {
    const res = await t.gql('{ defaultOnly keyOnly }', { 'x-api-key': API_KEY });
    expect(res.body).toBe('{"data":{"defaultOnly":"defaultOnly","keyOnly":"keyOnly"}}');
    expect(await whoami({ 'x-api-key': API_KEY })).toBeNull();
  });

  it('AppSync auth: a wrong API key is 401 "You are not authorized to make this call."', async () => {
    expectUnauthorized(await t.gql(WHOAMI, { 'x-api-key': 'da2-wrong' }), 'You are not authorized to make this call.');
  });

  it('AppSync auth: no credentials on an API with an API_KEY mode is 401 "You are not authorized to make this call."', async () => {
    expectUnauthorized(await t.gql(WHOAMI, {}), 'You are not authorized to make this call.');
  });

  it('AppSync auth: credentials are checked before the body (a 401 wins over a malformed request)', async () => {
    const { post } = await import('./support.ts');
    expectUnauthorized(await post(t.url, 'meow', { 'content-type': 'application/json' }), 'You are not authorized to make this call.');
  });
});

describe('AppSync auth: Cognito user pools', () => {
  it('AppSync auth: a user pool token gives the Cognito identity in the resolver event', async () => {
    const token = await t.cognitoToken();
    const identity = (await whoami({ authorization: token })) as Record<string, unknown>;
    const now = Math.floor(t.clock.now() / 1000);
    expect(identity).toEqual({
      claims: { iss: COGNITO_ISSUER, client_id: 'web-client', token_use: 'access', sub: 'user-1', 'cognito:username': 'ada', 'cognito:groups': ['users'], iat: now, exp: now + 3600 },
      defaultAuthStrategy: 'ALLOW',
      groups: ['users'],
      issuer: COGNITO_ISSUER,
      sourceIp: ['127.0.0.1'],
      sub: 'user-1',
      username: 'ada',
    });
    expect(Object.keys(identity)).toEqual(['claims', 'defaultAuthStrategy', 'groups', 'issuer', 'sourceIp', 'sub', 'username']);
  });

  it('AppSync auth: a Bearer prefix is accepted', async () => {
    const res = await t.gql('{ cognitoOnly }', { authorization: `Bearer ${await t.cognitoToken()}` });
    expect(res.body).toBe('{"data":{"cognitoOnly":"cognitoOnly"}}');
  });

  it('AppSync auth: cognito_groups admits only members of a listed group', async () => {
    const member = await t.gql('{ adminsOnly }', { authorization: await t.cognitoToken({ 'cognito:groups': ['admins'] }) });
    expect(member.body).toBe('{"data":{"adminsOnly":"adminsOnly"}}');
    const other = await t.gql('{ adminsOnly }', { authorization: await t.cognitoToken() });
    expect(other.status).toBe(200);
    expect(JSON.parse(other.body)).toEqual({ data: { adminsOnly: null }, errors: [unauthorizedField('adminsOnly', 'Query', ['adminsOnly'], 1, 3)] });
  });

  it('AppSync auth: a tampered token, or one of another client, is 401 "Valid authorization header not provided."', async () => {
    const token = await t.cognitoToken();
    const [h, p, s] = token.split('.') as [string, string, string];
    const tampered = `${h}.${p}.${s.slice(0, -4)}${s.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expectUnauthorized(await t.gql(WHOAMI, { authorization: tampered }), 'Valid authorization header not provided.');
    expectUnauthorized(await t.gql(WHOAMI, { authorization: await t.cognitoToken({ client_id: 'other-client' }) }), 'Valid authorization header not provided.');
  });

  it('AppSync auth: a token expires on the emulated clock: 401 "Token has expired." once exp is reached', async () => {
    const token = await t.cognitoToken({ exp: Math.floor(t.clock.now() / 1000) + 60 });
    expect((await t.gql('{ cognitoOnly }', { authorization: token })).status).toBe(200);
    await t.clock.advance(60_000);
    expectUnauthorized(await t.gql('{ cognitoOnly }', { authorization: token }), 'Token has expired.');
  });

  it('AppSync auth: with Cognito as the only mode, no Authorization header is 401 "Missing authorization header"', async () => {
    expectUnauthorized(await t.gql(WHOAMI, {}, t.cognitoUrl), 'Missing authorization header');
    expectUnauthorized(await t.gql(WHOAMI, { authorization: 'not-a-jwt' }, t.cognitoUrl), 'Valid authorization header not provided.');
    expectUnauthorized(await t.gql(WHOAMI, { 'x-api-key': API_KEY }, t.cognitoUrl), 'You are not authorized to make this call.');
    // Cognito as the default mode: fields without directives are its; the local issuer's own iss by default.
    const res = await t.gql('{ defaultOnly }', { authorization: await t.emulator.issuer.sign({ sub: 'u' }) }, t.cognitoUrl);
    expect(res.body).toBe('{"data":{"defaultOnly":"defaultOnly"}}');
  });
});

describe('AppSync auth: OpenID Connect', () => {
  it('AppSync auth: a token of the OIDC provider gives {claims, issuer, sub}', async () => {
    const identity = await whoami({ authorization: await t.oidcToken() });
    const now = Math.floor(t.clock.now() / 1000);
    expect(identity).toEqual({ claims: { aud: 'oidc-client', sub: 'oidc-user', iss: LOCAL_ISSUER_URL, iat: now, exp: now + 3600 }, issuer: LOCAL_ISSUER_URL, sub: 'oidc-user' });
  });

  it('AppSync auth: an OIDC token of another client is 401 "Valid authorization header not provided."', async () => {
    expectUnauthorized(await t.gql(WHOAMI, { authorization: await t.oidcToken({ aud: 'someone-else' }) }), 'Valid authorization header not provided.');
  });
});

describe('AppSync auth: AWS_LAMBDA', () => {
  it('AppSync auth: the authorizer gets {authorizationToken, requestContext} with the operation', async () => {
    const res = await t.gql('query Who { whoami }', { authorization: 'echo' });
    const identity = JSON.parse((JSON.parse(res.body) as { data: { whoami: string } }).data.whoami) as { resolverContext: { event: string } };
    const event = JSON.parse(identity.resolverContext.event) as { requestContext: Record<string, unknown> };
    expect(event).toEqual({
      authorizationToken: 'echo',
      requestContext: { apiId: t.emulator.appsyncApis.get('multi')!.apiId, accountId: '123456789012', requestId: res.headers['x-amzn-requestid'], queryString: 'query Who { whoami }', variables: {} },
    });
  });

  it('AppSync auth: the answer is cached by token for resultTtlInSeconds on the emulated clock', async () => {
    const first = (await whoami({ authorization: 'allow' })) as { resolverContext: { requestId: string } };
    const again = (await whoami({ authorization: 'allow' })) as { resolverContext: { requestId: string } };
    expect(again).toEqual(first);
    await t.clock.advance(59_999);
    expect(await whoami({ authorization: 'allow' })).toEqual(first);
    await t.clock.advance(1);
    const fresh = (await whoami({ authorization: 'allow' })) as { resolverContext: { requestId: string } };
    expect(fresh.resolverContext.requestId).not.toBe(first.resolverContext.requestId);
  });

  it('AppSync auth: ttlOverride replaces resultTtlInSeconds', async () => {
    const first = await whoami({ authorization: 'short' });
    await t.clock.advance(4_999);
    expect(await whoami({ authorization: 'short' })).toEqual(first);
    await t.clock.advance(1);
    expect(await whoami({ authorization: 'short' })).not.toEqual(first);
  });

  it('AppSync auth: isAuthorized false, or a failing authorizer, is 401 "You are not authorized to make this call."', async () => {
    expectUnauthorized(await t.gql(WHOAMI, { authorization: 'deny' }), 'You are not authorized to make this call.');
    expectUnauthorized(await t.gql(WHOAMI, { authorization: 'throw' }), 'You are not authorized to make this call.');
  });

  it('AppSync auth: deniedFields (Type.field or ARN) are null with Unauthorized errors', async () => {
    const res = await t.gql('{ post { id title } lambdaOnly }', { authorization: 'deny-fields' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      data: { post: { id: 'p1', title: null }, lambdaOnly: null },
      errors: [unauthorizedField('lambdaOnly', 'Query', ['lambdaOnly'], 1, 21), unauthorizedField('title', 'Post', ['post', 'title'], 1, 13)],
    });
  });
});

describe('AppSync auth: AWS_IAM', () => {
  it('AppSync auth: a SigV4-signed request gives the IAM identity', async () => {
    const host = new URL(t.url).host;
    const body = JSON.stringify({ query: WHOAMI, variables: null });
    const { post } = await import('./support.ts');
    const res = await post(t.url, body, await t.iamHeaders(host, '/graphql', body));
    expect(res.status).toBe(200);
    expect(JSON.parse((JSON.parse(res.body) as { data: { whoami: string } }).data.whoami)).toEqual({
      accountId: '123456789012',
      cognitoIdentityAuthProvider: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      sourceIp: ['127.0.0.1'],
      userArn: `arn:aws:iam::123456789012:user/${IAM.accessKeyId}`,
      username: IAM.accessKeyId,
    });
  });

  it('AppSync auth: a wrong secret, another body, or a stale x-amz-date is 401', async () => {
    const host = new URL(t.url).host;
    const body = JSON.stringify({ query: WHOAMI, variables: null });
    const { post } = await import('./support.ts');
    const wrongSecret = await t.iamHeaders(host, '/graphql', body, { ...IAM, secretAccessKey: 'nope' });
    expectUnauthorized(await post(t.url, body, wrongSecret), 'You are not authorized to make this call.');
    const signed = await t.iamHeaders(host, '/graphql', body);
    expectUnauthorized(await post(t.url, JSON.stringify({ query: '{ iamOnly }', variables: null }), signed), 'You are not authorized to make this call.');
    await t.clock.advance(15 * 60_000 + 1_000);
    expectUnauthorized(await post(t.url, body, signed), 'You are not authorized to make this call.');
  });
});

describe('AppSync auth: directives', () => {
  const QUERY = '{ defaultOnly keyOnly cognitoOnly oidcOnly lambdaOnly iamOnly }';
  const FIELDS = ['defaultOnly', 'keyOnly', 'cognitoOnly', 'oidcOnly', 'lambdaOnly', 'iamOnly'];
  const modes: Array<[string, () => Promise<Record<string, string>>, string[]]> = [
    ['API_KEY (the default)', async () => ({ 'x-api-key': API_KEY }), ['defaultOnly', 'keyOnly']],
    ['AMAZON_COGNITO_USER_POOLS', async () => ({ authorization: await t.cognitoToken() }), ['cognitoOnly']],
    ['OPENID_CONNECT', async () => ({ authorization: await t.oidcToken() }), ['oidcOnly']],
    ['AWS_LAMBDA', async () => ({ authorization: 'allow' }), ['lambdaOnly']],
    ['AWS_IAM', async () => t.iamHeaders(new URL(t.url).host, '/graphql', JSON.stringify({ query: QUERY, variables: null })), ['iamOnly']],
  ];
  for (const [mode, headers, allowed] of modes) {
    it(`AppSync auth: ${mode} reads only the fields its directive (or the default) allows`, async () => {
      const res = await t.gql(QUERY, await headers());
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body) as { data: Record<string, unknown>; errors?: Array<{ path: string[]; errorType: string; message: string }> };
      expect(body.data).toEqual(Object.fromEntries(FIELDS.map((f) => [f, allowed.includes(f) ? f : null])));
      expect(body.errors!.map((e) => [e.path, e.errorType, e.message])).toEqual(FIELDS.filter((f) => !allowed.includes(f)).map((f) => [[f], 'Unauthorized', `Not Authorized to access ${f} on type Query`]));
    });
  }

  it('AppSync auth: a field directive replaces its type\'s (Post.secret is Lambda-only; Post is API key and Lambda)', async () => {
    const key = JSON.parse((await t.gql('{ post { title secret } }', { 'x-api-key': API_KEY })).body) as unknown;
    expect(key).toEqual({ data: { post: { title: 'hello', secret: null } }, errors: [unauthorizedField('secret', 'Post', ['post', 'secret'], 1, 16)] });
    const lambda = await t.gql('{ post { title secret } }', { authorization: 'allow' });
    expect(lambda.body).toBe('{"data":{"post":{"title":"hello","secret":"s3cret"}}}');
    // Cognito may reach Query.post but not the fields of Post (the type names API key and Lambda only).
    const cognito = JSON.parse((await t.gql('{ post { id } }', { authorization: await t.cognitoToken() })).body) as unknown;
    expect(cognito).toEqual({ data: { post: { id: null } }, errors: [unauthorizedField('id', 'Post', ['post', 'id'], 1, 10)] });
  });
});

describe('AppSync auth: configuration', () => {
  it('AppSync auth: API_KEY, AWS_LAMBDA and AWS_IAM may each appear once', () => {
    const result = appsyncApiOptionsSchema.safeParse({ schema: 's.graphql', auth: [{ type: 'API_KEY' }, { type: 'AWS_IAM' }, { type: 'API_KEY', apiKey: 'x' }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path, i.message])).toEqual([[['auth', 2], 'API_KEY may appear at most once among the default and additional authorization modes, as on AppSync']]);
    expect(appsyncApiOptionsSchema.safeParse({ schema: 's.graphql', auth: [{ type: 'OPENID_CONNECT' }, { type: 'OPENID_CONNECT', issuer: 'https://a' }] }).success).toBe(true);
    const badRegex = appsyncApiOptionsSchema.safeParse({ schema: 's.graphql', auth: [{ type: 'AWS_LAMBDA', function: 'f', identityValidationExpression: '(' }] });
    expect(badRegex.error!.issues.map((i) => [i.path, i.message])).toEqual([[['auth', 0, 'identityValidationExpression'], 'not a valid regular expression']]);
  });
});
