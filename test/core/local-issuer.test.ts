import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANUAL_CLOCK_START, ManualClock } from '../../emulator/core/clock.ts';
import { LOCAL_ISSUER_URL, createLocalIssuer, type LocalIssuer } from '../../emulator/core/local-issuer.ts';

let clock: ManualClock;
let issuer: LocalIssuer;
beforeAll(async () => {
  clock = new ManualClock();
  issuer = await createLocalIssuer(clock);
});

const verify = (token: string, at: number) => jwtVerify(token, createLocalJWKSet(issuer.jwks()), { currentDate: new Date(at) });

describe('local issuer', () => {
  it('local issuer: publishes one RS256 public key, without its private half', () => {
    const { keys } = issuer.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: issuer.kid });
    expect(keys[0]).not.toHaveProperty('d');
    expect(issuer.issuer).toBe(LOCAL_ISSUER_URL);
  });

  it('local issuer: signs tokens whose iat and exp come from the emulated clock', async () => {
    const token = await issuer.sign({ sub: 'ada', aud: 'app', scope: 'chat:write' });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: issuer.kid });
    const { payload } = await verify(token, MANUAL_CLOCK_START);
    const now = MANUAL_CLOCK_START / 1000;
    expect(payload).toEqual({ sub: 'ada', aud: 'app', scope: 'chat:write', iss: LOCAL_ISSUER_URL, iat: now, exp: now + 3600 });
    await expect(verify(token, MANUAL_CLOCK_START + 3_600_000)).rejects.toThrow(/exp/);
  });

  it('local issuer: a token signed later carries the later clock time', async () => {
    const local = new ManualClock();
    const own = await createLocalIssuer(local, { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local' });
    await local.advance(120_000);
    const token = await own.sign();
    const { payload } = await jwtVerify(token, createLocalJWKSet(own.jwks()), { currentDate: new Date(local.now()) });
    expect(payload).toMatchObject({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local', iat: MANUAL_CLOCK_START / 1000 + 120 });
  });

  it('local issuer: explicit claims win over the defaults', async () => {
    const token = await issuer.sign({ iss: 'https://other.example', iat: 100, exp: 200 });
    const { payload } = await verify(token, 150_000);
    expect(payload).toMatchObject({ iss: 'https://other.example', iat: 100, exp: 200 });
  });
});
