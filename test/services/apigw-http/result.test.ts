import { describe, expect, it } from 'vitest';
import { mapResultV1, mapResultV2, type ResultMapping } from '../../../emulator/services/apigw-http/result.ts';

function response(mapping: ResultMapping) {
  if (!mapping.ok) throw new Error(`expected a response, got: ${mapping.reason}`);
  return mapping.response;
}

describe('HTTP API response format 2.0', () => {
  it('HTTP API: a returned string is inferred as a 200 JSON body with its quotes', () => {
    expect(response(mapResultV2('"Hello from Lambda!"'))).toEqual({ status: 200, headers: [['content-type', 'application/json']], body: '"Hello from Lambda!"' });
  });

  it('HTTP API: an object without statusCode is inferred as a 200 JSON body, verbatim', () => {
    const payload = '{"message":"Hello from Lambda!","body":"not used as body"}';
    expect(response(mapResultV2(payload))).toEqual({ status: 200, headers: [['content-type', 'application/json']], body: payload });
  });

  it('HTTP API: numbers, arrays and null are inferred too', () => {
    expect(response(mapResultV2('42')).body).toBe('42');
    expect(response(mapResultV2('[1,2]')).body).toBe('[1,2]');
    expect(response(mapResultV2('null')).body).toBe('null');
  });

  it('HTTP API: the full form sets status, headers and one set-cookie per cookie', () => {
    const mapped = response(mapResultV2(JSON.stringify({ statusCode: 201, headers: { 'content-type': 'text/html', 'x-n': 1, 'x-b': true }, cookies: ['a=1', 'b=2; Secure'], body: '<p>hi</p>' })));
    expect(mapped.status).toBe(201);
    expect(mapped.headers).toEqual([
      ['content-type', 'text/html'],
      ['x-n', '1'],
      ['x-b', 'true'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2; Secure'],
    ]);
    expect(mapped.body).toBe('<p>hi</p>');
  });

  it('HTTP API: isBase64Encoded bodies are decoded to bytes', () => {
    const mapped = response(mapResultV2(JSON.stringify({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from([1, 2, 3]).toString('base64'), isBase64Encoded: true })));
    expect(mapped.body).toEqual(Buffer.from([1, 2, 3]));
  });

  it('HTTP API: a full-form response without content-type gets the sniffed text/plain default', () => {
    expect(response(mapResultV2('{"statusCode":200,"body":"plain words"}')).headers).toEqual([['content-type', 'text/plain; charset=utf-8']]);
    expect(response(mapResultV2('{"statusCode":200,"body":"<html><body>x</body></html>"}')).headers).toEqual([['content-type', 'text/html; charset=utf-8']]);
    expect(response(mapResultV2('{"statusCode":204}')).headers).toEqual([]);
  });

  it('HTTP API: multiValueHeaders are not part of 2.0 and are ignored', () => {
    const mapped = response(mapResultV2('{"statusCode":200,"multiValueHeaders":{"x":["1","2"]},"body":"b"}'));
    expect(mapped.headers.find(([n]) => n === 'x')).toBeUndefined();
  });

  it('HTTP API: malformed full-form responses are refused', () => {
    for (const payload of [
      'not json',
      '{"statusCode":"200","body":"x"}',
      '{"statusCode":99}',
      '{"statusCode":200.5}',
      '{"statusCode":200,"body":{"a":1}}',
      '{"statusCode":200,"headers":{"x":{"nested":true}}}',
      '{"statusCode":200,"headers":"x"}',
      '{"statusCode":200,"cookies":"a=1"}',
      '{"statusCode":200,"cookies":[1]}',
    ]) {
      expect(mapResultV2(payload).ok, payload).toBe(false);
    }
  });
});

describe('HTTP API response format 1.0', () => {
  it('HTTP API: 1.0 merges headers and multiValueHeaders, which win for the same name', () => {
    const mapped = response(mapResultV1(JSON.stringify({ statusCode: 200, headers: { A: 'single', B: 'b' }, multiValueHeaders: { a: ['m1', 'm2'] }, body: 'x' })));
    expect(mapped.headers).toEqual([
      ['B', 'b'],
      ['a', 'm1'],
      ['a', 'm2'],
      ['content-type', 'application/json'],
    ]);
  });

  it('HTTP API: 1.0 defaults statusCode to 200 and content-type to application/json', () => {
    expect(response(mapResultV1('{"body":"x"}'))).toEqual({ status: 200, headers: [['content-type', 'application/json']], body: 'x' });
  });

  it('HTTP API: 1.0 does not infer: a string, an array or an unknown key is malformed', () => {
    expect(mapResultV1('"hello"').ok).toBe(false);
    expect(mapResultV1('[]').ok).toBe(false);
    expect(mapResultV1('{"statusCode":200,"cookies":["a=1"]}').ok).toBe(false);
  });
});
