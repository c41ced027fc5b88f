import { describe, expect, it } from 'vitest';
import { EmulatorError } from '../../../emulator/core/errors.ts';
import { allowAll, lastEvent, setup } from './support.ts';

/** API keys (reference §2.8): HEADER and AUTHORIZER sources, usage-plan membership. */

const ok = () => ({ statusCode: 200, body: 'ok' });
const KEY = 'k'.repeat(20);
const OTHER = 'o'.repeat(20);

const keyed = (extra: object = {}) => ({
  apiKeys: { main: { value: KEY }, off: { value: OTHER, enabled: false } },
  usagePlans: { p: { apiKeys: ['main', 'off'] } },
  routes: { 'GET /x': { function: 'x', apiKeyRequired: true }, 'GET /open': 'x' },
  ...extra,
});

describe('REST API keys', () => {
  it('REST: a valid x-api-key header passes and reaches identity.apiKey/apiKeyId', async () => {
    const h = setup(keyed(), { x: ok });
    expect((await h.send({ path: '/dev/x', headers: { 'X-API-Key': KEY } })).status).toBe(200);
    const identity = lastEvent(h, 'x').requestContext.identity;
    expect(identity.apiKey).toBe(KEY);
    expect(identity.apiKeyId).toMatch(/^[a-z0-9]{10}$/);
  });

  it('REST: a disabled key returns 403 Forbidden', async () => {
    const h = setup(keyed(), { x: ok });
    expect((await h.send({ path: '/dev/x', headers: { 'x-api-key': OTHER } })).status).toBe(403);
  });

  it('REST: a key in no usage plan of the stage returns 403 Forbidden', async () => {
    const h = setup({ apiKeys: { lone: { value: KEY } }, routes: { 'GET /x': { function: 'x', apiKeyRequired: true } } }, { x: ok });
    expect((await h.send({ path: '/dev/x', headers: { 'x-api-key': KEY } })).status).toBe(403);
  });

  it('REST: a method without apiKeyRequired ignores keys and has no apiKey in identity', async () => {
    const h = setup(keyed(), { x: ok });
    expect((await h.send({ path: '/dev/open', headers: { 'x-api-key': 'nonsense' } })).status).toBe(200);
    expect(lastEvent(h, 'x').requestContext.identity).not.toHaveProperty('apiKey');
  });

  it('REST: with the AUTHORIZER source the key is the authorizer usageIdentifierKey, and x-api-key is ignored', async () => {
    const h = setup(
      keyed({
        apiKeySource: 'AUTHORIZER',
        authorizers: { a: { type: 'TOKEN', function: 'auth' } },
        routes: { 'GET /x': { function: 'x', apiKeyRequired: true, authorizer: 'a' } },
      }),
      { auth: (e: { authorizationToken: string }) => ({ ...allowAll(), usageIdentifierKey: e.authorizationToken === 'good' ? KEY : 'unknown' }), x: ok },
    );
    expect((await h.send({ path: '/dev/x', headers: { Authorization: 'good' } })).status).toBe(200);
    expect(lastEvent(h, 'x').requestContext.identity.apiKey).toBe(KEY);
    expect((await h.send({ path: '/dev/x', headers: { Authorization: 'bad', 'x-api-key': KEY } })).status).toBe(403);
  });

  it('REST: a usage plan naming an unknown key is a configuration error', () => {
    expect(() => setup({ usagePlans: { p: { apiKeys: ['ghost'] } }, routes: {} })).toThrow(EmulatorError);
    expect(() => setup({ usagePlans: { p: { apiKeys: ['ghost'] } }, routes: {} })).toThrow(
      'Failed to create REST API "shop": usage plan "p" lists unknown API key "ghost". Declare it under "apiKeys".',
    );
  });
});
