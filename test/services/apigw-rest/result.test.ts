import { describe, expect, it } from 'vitest';
import { parseProxyResult, proxyResponseParts } from '../../../emulator/services/apigw-rest/result.ts';
import { bodyText, header, headerNames, setup } from './support.ts';

/** Lambda proxy response rules (reference §2.5), first as pure functions, then through the API. */

const parse = (v: unknown) => parseProxyResult(typeof v === 'string' ? v : JSON.stringify(v));

describe('parseProxyResult', () => {
  const malformed: Array<[string, string]> = [
    ['an unknown top-level key', JSON.stringify({ statusCode: 200, wrongValue: 'x' })],
    ['a payload-2.0 cookies key', JSON.stringify({ statusCode: 200, cookies: ['a=b'] })],
    ['non-JSON output', 'not json'],
    ['a bare string', JSON.stringify('justAString')],
    ['null (a handler returning undefined)', 'null'],
    ['an array', '[]'],
    ['a non-integer statusCode string', JSON.stringify({ statusCode: 'test' })],
    ['a fractional statusCode', JSON.stringify({ statusCode: 200.5 })],
    ['a statusCode out of range', JSON.stringify({ statusCode: 600 })],
    ['an object body', JSON.stringify({ statusCode: 200, body: { a: 1 } })],
    ['a numeric body', JSON.stringify({ statusCode: 200, body: 1 })],
    ['a numeric header value', JSON.stringify({ headers: { 'x-n': 1 } })],
    ['a multiValueHeaders value that is not an array', JSON.stringify({ multiValueHeaders: { 'x-m': 'v' } })],
    ['an array headers map', JSON.stringify({ headers: [] })],
  ];
  for (const [what, payload] of malformed) {
    it(`REST: ${what} is a malformed proxy response`, () => {
      expect(parseProxyResult(payload).ok).toBe(false);
    });
  }

  it('REST: a missing statusCode is 200 and a missing body is empty', () => {
    expect(parse({ headers: { 'test-header': 'value' } })).toEqual({ ok: true, result: { statusCode: 200, headers: [['test-header', 'value']], body: '', isBase64Encoded: false } });
  });

  it('REST: an integer-string statusCode is accepted', () => {
    expect(parse({ statusCode: '201' })).toMatchObject({ ok: true, result: { statusCode: 201 } });
  });

  it('REST: boolean header values become "true"/"false" and null maps count as absent', () => {
    expect(parse({ statusCode: 200, headers: { a: true, b: false }, multiValueHeaders: null, body: null })).toEqual({
      ok: true,
      result: { statusCode: 200, headers: [['a', 'true'], ['b', 'false']], body: '', isBase64Encoded: false },
    });
  });

  it('REST: a name in both maps takes only the multiValueHeaders values', () => {
    const r = parse({ headers: { 'test-multi': 'solo', other: 'x' }, multiValueHeaders: { 'test-multi': ['m1', 'm2'] } });
    expect(r).toMatchObject({ ok: true, result: { headers: [['other', 'x'], ['test-multi', 'm1'], ['test-multi', 'm2']] } });
  });

  it('REST: header names are case-sensitive when merging the two maps', () => {
    const r = parse({ headers: { 'test-multi': 'solo' }, multiValueHeaders: { 'tesT-Multi': ['multi'] } });
    expect(r).toMatchObject({ ok: true, result: { headers: [['test-multi', 'solo'], ['tesT-Multi', 'multi']] } });
  });
});

describe('proxyResponseParts', () => {
  const result = (headers: Array<[string, string]>, body = '', isBase64Encoded = false) => ({ statusCode: 200, headers, body, isBase64Encoded });

  it('REST: Content-Type defaults to application/json only when the function sets none', () => {
    expect(proxyResponseParts(result([]), false).headers).toEqual([['Content-Type', 'application/json']]);
    expect(proxyResponseParts(result([['content-type', 'text/plain']]), false).headers).toEqual([['content-type', 'text/plain']]);
  });

  it('REST: Connection, Content-Length, Date and Server are remapped and Transfer-Encoding dropped', () => {
    const parts = proxyResponseParts(result([['Server', 'lambda'], ['Date', 'x'], ['Content-Length', '1'], ['Connection', 'close'], ['Transfer-Encoding', 'chunked'], ['content-type', 'text/plain']]), false);
    expect(parts.headers).toEqual([
      ['x-amzn-Remapped-Server', 'lambda'],
      ['x-amzn-Remapped-Date', 'x'],
      ['x-amzn-Remapped-Content-Length', '1'],
      ['x-amzn-Remapped-Connection', 'close'],
      ['content-type', 'text/plain'],
    ]);
  });
});

describe('proxy responses through the API', () => {
  it('REST: status, headers, multi-value headers and body reach the client', async () => {
    const h = setup({ routes: { 'GET /r': 'fn' } }, { fn: () => ({ statusCode: 201, headers: { 'X-One': '1', 'X-Bool': true }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: 'created' }) });
    const res = await h.send({ path: '/dev/r' });
    expect(res.status).toBe(201);
    expect(bodyText(res)).toBe('created');
    expect(res.headers.slice(0, 5)).toEqual([
      ['Content-Type', 'application/json'],
      ['X-One', '1'],
      ['X-Bool', 'true'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
    expect(headerNames(res).slice(5)).toEqual(['x-amzn-RequestId', 'x-amz-apigw-id', 'X-Amzn-Trace-Id']);
    expect(header(res, 'x-amzn-ErrorType')).toBeUndefined();
  });

  it('REST: a function returning only a statusCode gives an empty body', async () => {
    const h = setup({ routes: { 'GET /r': 'fn' } }, { fn: () => ({ statusCode: 204 }) });
    const res = await h.send({ path: '/dev/r' });
    expect(res.status).toBe(204);
    expect(bodyText(res)).toBe('');
  });

  it('REST: a function-set status like 500 passes through as the function\'s own response', async () => {
    const h = setup({ routes: { 'GET /r': 'fn' } }, { fn: () => ({ statusCode: 500, body: '{"error":"mine"}' }) });
    const res = await h.send({ path: '/dev/r' });
    expect(res.status).toBe(500);
    expect(bodyText(res)).toBe('{"error":"mine"}');
    expect(header(res, 'x-amzn-ErrorType')).toBeUndefined();
  });

  it('REST: a malformed response is logged at debug level only', async () => {
    const h = setup({ routes: { 'GET /r': 'fn' } }, { fn: { rawPayload: '{"statusCode":200,"extra":1}' } });
    expect((await h.send({ path: '/dev/r' })).status).toBe(502);
    expect(h.log.lines.map((l) => l.level)).toEqual(['debug']);
    expect(h.log.lines[0]!.message).toContain('Malformed Lambda proxy response (unexpected key "extra")');
  });
});
