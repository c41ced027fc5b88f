import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANUAL_CLOCK_START, ManualClock } from '../../../emulator/core/clock.ts';
import { createLocalIssuer, type LocalIssuer } from '../../../emulator/core/local-issuer.ts';
import type { HttpEventV1 } from '../../../emulator/services/apigw-http/event-v1.ts';
import type { HttpEventV2 } from '../../../emulator/services/apigw-http/event.ts';
import type { HttpApiOptionsInput } from '../../../emulator/services/apigw-http/options.ts';
import { header, makeApi, type TestApiOptions } from './support.ts';

let issuer: LocalIssuer;
let stranger: LocalIssuer;
beforeAll(async () => {
  issuer = await createLocalIssuer(new ManualClock());
  stranger = await createLocalIssuer(new ManualClock(), { issuer: 'https://stranger.example' });
});

const NOW_S = MANUAL_CLOCK_START / 1000;
const ok = () => 'ok';

function jwtApi(route: Record<string, unknown> = {}, authorizer: Record<string, unknown> = {}, test: TestApiOptions = {}) {
  const options = {
    authorizers: { jwt: { type: 'JWT', issuer: issuer.issuer, audience: ['app', 'web'], ...authorizer } },
    routes: { 'GET /x': { function: 'fn', authorizer: 'jwt', ...route } },
  } as HttpApiOptionsInput;
  return makeApi(options, { fn: ok }, { issuer, ...test });
}

function challenge(description: string): string {
  return `Bearer scope="" error="invalid_token" error_description="${description}"`;
}

describe('HTTP API JWT authorizer', () => {
  it('HTTP API: a valid JWT reaches the function with its claims as strings', async () => {
    const t = jwtApi();
    const token = await issuer.sign({ sub: 'u1', aud: 'app', 'cognito:groups': ['admin', 'users'], email_verified: true, auth_time: 1767225000, nothing: null, nested: { a: 1 } });
    const response = await t.send({ path: '/x', headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const [event] = t.lambda.eventsOf('fn') as HttpEventV2[];
    expect(event!.requestContext.authorizer).toEqual({
      jwt: {
        claims: {
          sub: 'u1',
          aud: 'app',
          'cognito:groups': '[admin users]',
          email_verified: 'true',
          auth_time: '1767225000',
          nested: '{"a":1}',
          iss: issuer.issuer,
          iat: String(NOW_S),
          exp: String(NOW_S + 3600),
        },
        scopes: null,
      },
    });
  });

  it('HTTP API: the Bearer prefix is optional', async () => {
    const t = jwtApi();
    const token = await issuer.sign({ aud: 'web' });
    expect((await t.send({ path: '/x', headers: { authorization: token } })).status).toBe(200);
  });

  it('HTTP API: a JWT expires on the emulated clock, with no leeway', async () => {
    const t = jwtApi();
    const token = await issuer.sign({ aud: 'app', exp: NOW_S + 60 });
    expect((await t.send({ path: '/x', headers: { authorization: token } })).status).toBe(200);
    await t.clock.advance(59_999);
    expect((await t.send({ path: '/x', headers: { authorization: token } })).status).toBe(200);
    await t.clock.advance(1);
    const response = await t.send({ path: '/x', headers: { authorization: token } });
    expect(response.status).toBe(401);
    expect(header(response, 'www-authenticate')).toBe(challenge('the token has expired'));
  });

  it('HTTP API: nbf and iat in the future are refused', async () => {
    const t = jwtApi();
    const early = await issuer.sign({ aud: 'app', nbf: NOW_S + 10 });
    expect(header(await t.send({ path: '/x', headers: { authorization: early } }), 'www-authenticate')).toBe(challenge('the token is not valid yet'));
    const future = await issuer.sign({ aud: 'app', iat: NOW_S + 10 });
    expect(header(await t.send({ path: '/x', headers: { authorization: future } }), 'www-authenticate')).toBe(challenge('the token was issued in the future'));
    await t.clock.advance(10_001);
    expect((await t.send({ path: '/x', headers: { authorization: early } })).status).toBe(200);
  });

  it('HTTP API: the issuer must match exactly', async () => {
    const t = jwtApi();
    const token = await issuer.sign({ aud: 'app', iss: 'https://evil.example' });
    const response = await t.send({ path: '/x', headers: { authorization: token } });
    expect(response.status).toBe(401);
    expect(header(response, 'www-authenticate')).toBe(challenge('the token does not have a valid issuer'));
  });

  it('HTTP API: client_id stands in for a missing aud, but aud wins when both are present', async () => {
    const t = jwtApi();
    expect((await t.send({ path: '/x', headers: { authorization: await issuer.sign({ client_id: 'web' }) } })).status).toBe(200);
    expect((await t.send({ path: '/x', headers: { authorization: await issuer.sign({ aud: ['x', 'app'] }) } })).status).toBe(200);
    const both = await t.send({ path: '/x', headers: { authorization: await issuer.sign({ aud: 'other', client_id: 'app' }) } });
    expect(header(both, 'www-authenticate')).toBe(challenge('the token does not have a valid audience'));
  });

  it('HTTP API: tokens signed by another key, tampered with, non-RSA or not JWTs are refused', async () => {
    const t = jwtApi();
    const foreign = await stranger.sign({ aud: 'app', iss: issuer.issuer });
    expect(header(await t.send({ path: '/x', headers: { authorization: foreign } }), 'www-authenticate')).toBe(challenge('the token kid does not match any key of the issuer'));

    const [h, , s] = (await issuer.sign({ aud: 'app' })).split('.');
    const forged = Buffer.from(JSON.stringify({ aud: 'app', iss: issuer.issuer, exp: NOW_S + 60, admin: true })).toString('base64url');
    expect(header(await t.send({ path: '/x', headers: { authorization: `${h}.${forged}.${s}` } }), 'www-authenticate')).toBe(challenge('the token signature is invalid'));

    const hs256 = await new SignJWT({ aud: 'app', iss: issuer.issuer }).setProtectedHeader({ alg: 'HS256', kid: issuer.kid }).setExpirationTime(NOW_S + 60).sign(new Uint8Array(32));
    expect(header(await t.send({ path: '/x', headers: { authorization: hs256 } }), 'www-authenticate')).toBe(challenge('the token signing algorithm is not supported'));

    expect(header(await t.send({ path: '/x', headers: { authorization: 'Bearer not-a-jwt' } }), 'www-authenticate')).toBe(challenge('the token is malformed'));
    expect(t.lambda.calls).toHaveLength(0);
  });

  it('HTTP API: route scopes need one match in scope or scp, and the event gets the token\'s scopes', async () => {
    const t = jwtApi({ authorizationScopes: ['chat:write', 'admin'] });
    expect((await t.send({ path: '/x', headers: { authorization: await issuer.sign({ aud: 'app', scope: 'chat:read' }) } })).status).toBe(403);
    expect((await t.send({ path: '/x', headers: { authorization: await issuer.sign({ aud: 'app' }) } })).status).toBe(403);
    expect((await t.send({ path: '/x', headers: { authorization: await issuer.sign({ aud: 'app', scope: 'chat:read chat:write' }) } })).status).toBe(200);
    expect((await t.send({ path: '/x', headers: { authorization: await issuer.sign({ aud: 'app', scp: ['admin'] }) } })).status).toBe(200);
    const [first, second] = t.lambda.eventsOf('fn') as HttpEventV2[];
    expect(first!.requestContext.authorizer).toMatchObject({ jwt: { scopes: ['chat:read', 'chat:write'] } });
    expect(second!.requestContext.authorizer).toMatchObject({ jwt: { scopes: ['admin'] } });
  });

  it('HTTP API: the token can come from the query string', async () => {
    const t = jwtApi({}, { identitySource: '$request.querystring.access_token' });
    const token = await issuer.sign({ aud: 'app' });
    expect((await t.send({ path: `/x?access_token=${token}` })).status).toBe(200);
    expect(header(await t.send({ path: '/x', headers: { authorization: token } }), 'www-authenticate')).toBe('Bearer');
  });

  it('HTTP API: a jwksFile replaces the local issuer\'s keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apigw-http-jwks-'));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(stranger.jwks()));
    const t = jwtApi({}, { issuer: stranger.issuer, jwksFile: 'jwks.json' }, { baseDir: dir });
    expect((await t.send({ path: '/x', headers: { authorization: await stranger.sign({ aud: 'app' }) } })).status).toBe(200);
    expect((await t.send({ path: '/x', headers: { authorization: await issuer.sign({ aud: 'app', iss: stranger.issuer }) } })).status).toBe(401);
  });

  it('HTTP API: a missing jwksFile fails at startup, naming the setting', () => {
    expect(() => jwtApi({}, { jwksFile: 'nope.json' }, { baseDir: tmpdir() })).toThrow(/Failed to read httpApis\.chat\.authorizers\.jwt\.jwksFile/);
  });

  it('HTTP API: an issuer the local issuer cannot satisfy is warned about at startup', () => {
    const t = jwtApi({}, { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/pool' });
    expect(t.log.lines.some((l) => l.level === 'warn' && l.message.startsWith('Failed to match httpApis.chat.authorizers.jwt.issuer'))).toBe(true);
  });

  it('HTTP API: payload 1.0 routes get the claims as requestContext.authorizer.claims', async () => {
    const t = jwtApi({ payloadFormatVersion: '1.0' });
    await t.send({ path: '/x', headers: { authorization: await issuer.sign({ aud: 'app', sub: 's' }) } });
    const [event] = t.lambda.eventsOf('fn') as HttpEventV1[];
    expect(event!.requestContext.authorizer).toMatchObject({ claims: { sub: 's', aud: 'app' }, scopes: null });
  });
});
