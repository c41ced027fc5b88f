import { describe, expect, it } from 'vitest';
import { PreludeReader } from '../../../emulator/services/lambda-runtime/stream-prelude.ts';

const NULS = Buffer.alloc(8);
const text = (s: string) => Buffer.from(s, 'utf8');

describe('lambda: the http-integration-response prelude, read from bytes', () => {
  it('lambda: prelude, 8 NULs and body in one buffer', () => {
    const step = new PreludeReader().push(Buffer.concat([text('{"statusCode":200,"headers":{"a":"b"},"cookies":["c=1"]}'), NULS, text('body')]));
    expect(step).toEqual({ kind: 'done', metadata: { statusCode: 200, headers: { a: 'b' }, cookies: ['c=1'] }, body: text('body') });
  });

  it('lambda: a delimiter split across writes waits for all 8 NULs; the body after it is exact', () => {
    const reader = new PreludeReader();
    expect(reader.push(text('{"statusCode":2'))).toEqual({ kind: 'pending' });
    expect(reader.push(Buffer.concat([text('04}'), NULS.subarray(0, 3)]))).toEqual({ kind: 'pending' });
    expect(reader.push(Buffer.concat([NULS.subarray(3), text('\0rest')]))).toEqual({ kind: 'done', metadata: { statusCode: 204 }, body: text('\0rest') });
  });

  it('lambda: a prelude that is not a JSON object gives no metadata; the body is still split off', () => {
    expect(new PreludeReader().push(Buffer.concat([text('not json'), NULS, text('x')]))).toEqual({ kind: 'done', metadata: undefined, body: text('x') });
    expect(new PreludeReader().push(Buffer.concat([text('[1]'), NULS]))).toEqual({ kind: 'done', metadata: undefined, body: Buffer.alloc(0) });
  });

  it('lambda: fields of the wrong type are left out; header values become strings', () => {
    const step = new PreludeReader().push(Buffer.concat([text('{"statusCode":"200","headers":{"n":1},"cookies":"c=1"}'), NULS]));
    expect(step).toEqual({ kind: 'done', metadata: { headers: { n: '1' } }, body: Buffer.alloc(0) });
  });

  it('lambda: a stream that ends inside the prelude hands back what was held', () => {
    const reader = new PreludeReader();
    reader.push(text('{"statusCode":'));
    expect(reader.rest()).toEqual(text('{"statusCode":'));
  });
});
