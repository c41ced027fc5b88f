import { describe, expect, it } from 'vitest';
import { frameByLayout, stringHeader } from '../../support/event-stream-layout.ts';
import { eventStreamCodec } from '../../../emulator/services/bedrock/event-stream.ts';
import { invokeCompleteFrame, payloadChunkFrame } from '../../../emulator/services/lambda-api/event-stream.ts';

/**
 * Named byte vectors for InvokeWithResponseStream's frames (reference §6.4), both directions. The
 * expected bytes are written out in full and rebuilt from the documented layout with zlib's CRC32.
 */
const PAYLOAD_CHUNK_HELLO = Buffer.from(
  '0000006f' + // total length 111
    '0000005a' + // headers length 90
    'f5fe871f' + // prelude CRC
    '0b3a6576656e742d74797065' + '07' + '000c' + '5061796c6f61644368756e6b' + // :event-type = PayloadChunk
    '0d3a636f6e74656e742d74797065' + '07' + '0018' + '6170706c69636174696f6e2f6f637465742d73747265616d' + // :content-type = application/octet-stream
    '0d3a6d6573736167652d74797065' + '07' + '0005' + '6576656e74' + // :message-type = event
    '68656c6c6f' + // hello (the handler's bytes, unframed)
    '29e71260', // message CRC
  'hex',
);

const INVOKE_COMPLETE_ERROR = Buffer.from(
  '0000008f' + // total length 143
    '00000054' + // headers length 84
    '3a926dc7' + // prelude CRC
    '0b3a6576656e742d74797065' + '07' + '000e' + '496e766f6b65436f6d706c657465' + // :event-type = InvokeComplete
    '0d3a636f6e74656e742d74797065' + '07' + '0010' + '6170706c69636174696f6e2f6a736f6e' + // :content-type = application/json
    '0d3a6d6573736167652d74797065' + '07' + '0005' + '6576656e74' + // :message-type = event
    Buffer.from('{"ErrorCode":"Error","ErrorDetails":"boom"}').toString('hex') +
    'f7a7d3f5', // message CRC
  'hex',
);


const eventHeaders = (eventType: string, contentType: string) =>
  Buffer.concat([stringHeader(':event-type', eventType), stringHeader(':content-type', contentType), stringHeader(':message-type', 'event')]);

describe('InvokeWithResponseStream event-stream framing', () => {
  it('lambda event stream: a PayloadChunk encodes to the named vector, byte for byte', () => {
    expect(payloadChunkFrame(Buffer.from('hello')).toString('hex')).toBe(PAYLOAD_CHUNK_HELLO.toString('hex'));
  });

  it('lambda event stream: the PayloadChunk vector follows the documented layout', () => {
    expect(frameByLayout(eventHeaders('PayloadChunk', 'application/octet-stream'), Buffer.from('hello')).equals(PAYLOAD_CHUNK_HELLO)).toBe(true);
  });

  it('lambda event stream: the PayloadChunk vector decodes back to its headers and raw payload', () => {
    const message = eventStreamCodec.decode(PAYLOAD_CHUNK_HELLO);
    expect(message.headers).toEqual({
      ':event-type': { type: 'string', value: 'PayloadChunk' },
      ':content-type': { type: 'string', value: 'application/octet-stream' },
      ':message-type': { type: 'string', value: 'event' },
    });
    expect(Buffer.from(message.body).toString('utf8')).toBe('hello');
  });

  it('lambda event stream: an InvokeComplete with an error encodes to the named vector, byte for byte', () => {
    expect(invokeCompleteFrame({ ErrorCode: 'Error', ErrorDetails: 'boom' }).toString('hex')).toBe(INVOKE_COMPLETE_ERROR.toString('hex'));
  });

  it('lambda event stream: the InvokeComplete vector follows the documented layout', () => {
    expect(frameByLayout(eventHeaders('InvokeComplete', 'application/json'), Buffer.from('{"ErrorCode":"Error","ErrorDetails":"boom"}')).equals(INVOKE_COMPLETE_ERROR)).toBe(true);
  });

  it('lambda event stream: the InvokeComplete vector decodes back to its JSON', () => {
    const message = eventStreamCodec.decode(INVOKE_COMPLETE_ERROR);
    expect(message.headers[':event-type']).toEqual({ type: 'string', value: 'InvokeComplete' });
    expect(JSON.parse(Buffer.from(message.body).toString('utf8'))).toEqual({ ErrorCode: 'Error', ErrorDetails: 'boom' });
  });

  it('lambda event stream: a successful InvokeComplete is an empty structure', () => {
    expect(Buffer.from(eventStreamCodec.decode(invokeCompleteFrame({})).body).toString('utf8')).toBe('{}');
  });

  it('lambda event stream: a vector with one flipped payload byte fails its message CRC', () => {
    const corrupt = Buffer.from(PAYLOAD_CHUNK_HELLO);
    corrupt[corrupt.length - 5]! ^= 0x01;
    expect(() => eventStreamCodec.decode(corrupt)).toThrow(/checksum/i);
  });

  it('lambda event stream: a vector cut short fails on its length', () => {
    expect(() => eventStreamCodec.decode(PAYLOAD_CHUNK_HELLO.subarray(0, 50))).toThrow();
  });
});
