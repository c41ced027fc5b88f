import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../../emulator/core/http.ts';
import type { HttpApiOptionsInput } from '../../../emulator/services/apigw-http/options.ts';
import { header, makeApi, text } from './support.ts';

const cors = { allowOrigins: ['https://app.example'], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization', 'content-type'], exposeHeaders: ['x-request-cost'], maxAge: 300, allowCredentials: true };
const fromFunction = () => ({ statusCode: 200, headers: { 'Access-Control-Allow-Origin': '*', 'access-control-max-age': '1', 'x-request-cost': '3' }, body: 'hi' });

function corsHeaders(response: HttpResponse): Record<string, string> {
  return Object.fromEntries(response.headers.filter(([n]) => n.toLowerCase().startsWith('access-control-')));
}

const preflight = (origin: string, method = 'POST') => ({ method: 'OPTIONS', path: '/chat', headers: { Origin: origin, 'Access-Control-Request-Method': method } });

describe('HTTP API CORS', () => {
  it('HTTP API: with CORS configured, API Gateway answers a preflight itself with 204', async () => {
    const t = makeApi({ cors, routes: { 'POST /chat': 'fn', $default: 'fn' } }, { fn: fromFunction });
    const response = await t.send(preflight('https://app.example'));
    expect(response.status).toBe(204);
    expect(text(response)).toBe('');
    expect(corsHeaders(response)).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '300',
    });
    expect(header(response, 'apigw-requestid')).toBeDefined();
    expect(t.lambda.calls).toHaveLength(0);
  });

  it('HTTP API: a preflight from an origin or for a method not allowed gets no CORS headers', async () => {
    const t = makeApi({ cors, routes: { 'POST /chat': 'fn' } }, { fn: fromFunction });
    for (const response of [await t.send(preflight('https://evil.example')), await t.send(preflight('https://app.example', 'DELETE'))]) {
      expect(response.status).toBe(204);
      expect(corsHeaders(response)).toEqual({});
    }
  });

  it('HTTP API: CORS headers from the function are replaced by the configured ones', async () => {
    const t = makeApi({ cors, routes: { 'POST /chat': 'fn' } }, { fn: fromFunction });
    const allowed = await t.send({ method: 'POST', path: '/chat', headers: { Origin: 'https://APP.example' } });
    expect(corsHeaders(allowed)).toEqual({ 'access-control-allow-origin': 'https://APP.example', 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'x-request-cost' });
    expect(header(allowed, 'x-request-cost')).toBe('3');
    const other = await t.send({ method: 'POST', path: '/chat', headers: { Origin: 'https://evil.example' } });
    expect(corsHeaders(other)).toEqual({});
  });

  it('HTTP API: a wildcard origin answers *', async () => {
    const t = makeApi({ cors: { allowOrigins: ['*'], allowMethods: ['*'] }, routes: { 'POST /chat': 'fn' } }, { fn: fromFunction });
    expect(corsHeaders(await t.send(preflight('https://any.example', 'PATCH')))).toEqual({ 'access-control-allow-origin': '*', 'access-control-allow-methods': '*' });
    expect(corsHeaders(await t.send({ method: 'POST', path: '/chat', headers: { Origin: 'https://any.example' } }))).toEqual({ 'access-control-allow-origin': '*' });
  });

  it('HTTP API: an ANY route takes preflights even with CORS configured, authorizer included', async () => {
    const options = {
      cors,
      authorizers: { auth: { type: 'REQUEST', function: 'auth', enableSimpleResponses: true } },
      routes: { 'ANY /{proxy+}': { function: 'fn', authorizer: 'auth' } },
    } as HttpApiOptionsInput;
    const t = makeApi(options, { fn: fromFunction, auth: () => ({ isAuthorized: true }) });
    expect((await t.send(preflight('https://app.example'))).status).toBe(401);
  });

  it('HTTP API: without CORS, OPTIONS goes to an OPTIONS or $default route, or is not found', async () => {
    const withDefault = makeApi({ routes: { $default: 'fn' } }, { fn: () => ({ statusCode: 200, body: 'from lambda' }) });
    expect(text(await withDefault.send(preflight('https://app.example')))).toBe('from lambda');
    const withoutRoute = makeApi({ routes: { 'POST /chat': 'fn' } }, { fn: fromFunction });
    expect((await withoutRoute.send(preflight('https://app.example'))).status).toBe(404);
  });

  it('HTTP API: credentials with a wildcard origin are refused at startup, as AWS refuses them', () => {
    expect(() => makeApi({ cors: { allowOrigins: ['*'], allowCredentials: true }, routes: { $default: 'fn' } }, {})).toThrow(/allowCredentials is not supported with allowOrigins "\*"/);
  });
});
