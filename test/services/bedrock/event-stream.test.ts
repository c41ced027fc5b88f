import { describe, expect, it } from 'vitest';
import { frameByLayout, stringHeader } from '../../support/event-stream-layout.ts';
import { encodeEvent, encodeException, eventStreamCodec } from '../../../emulator/services/bedrock/event-stream.ts';
import { chunkEvent } from '../../../emulator/services/bedrock/invoke.ts';

/**
 * Named byte vectors for the event-stream framing (reference 4.6), both directions. The expected
 * bytes are written out in full and also rebuilt from the layout with zlib's CRC32, so neither a codec
 * change nor a typo in the vector can pass unnoticed.
 */
const MESSAGE_STOP_END_TURN = Buffer.from(
  '0000007a' + // total length 122
    '00000051' + // headers length 81
    'ca2c4665' + // prelude CRC
    '0b3a6576656e742d74797065' + '07' + '000b' + '6d65737361676553746f70' + // :event-type = messageStop
    '0d3a636f6e74656e742d74797065' + '07' + '0010' + '6170706c69636174696f6e2f6a736f6e' + // :content-type = application/json
    '0d3a6d6573736167652d74797065' + '07' + '0005' + '6576656e74' + // :message-type = event
    '7b2273746f70526561736f6e223a22656e645f7475726e227d' + // {"stopReason":"end_turn"}
    '5fbf09fc', // message CRC
  'hex',
);

/** A mid-stream throttlingException frame (4.6): `:message-type: exception`, lowerCamel `:exception-type`. */
const THROTTLING_EXCEPTION_FRAME = Buffer.from(
  '000000b2' + // total length 178
    '00000061' + // headers length 97
    '3590d5d3' + // prelude CRC
    '0f3a657863657074696f6e2d74797065' + '07' + '0013' + '7468726f74746c696e67457863657074696f6e' + // :exception-type = throttlingException
    '0d3a636f6e74656e742d74797065' + '07' + '0010' + '6170706c69636174696f6e2f6a736f6e' + // :content-type = application/json
    '0d3a6d6573736167652d74797065' + '07' + '0009' + '657863657074696f6e' + // :message-type = exception
    Buffer.from('{"message":"Too many requests, please wait before trying again."}').toString('hex') +
    'e8ffb26a', // message CRC
  'hex',
);
const THROTTLING_MESSAGE = { message: 'Too many requests, please wait before trying again.' };


describe('Bedrock event-stream framing', () => {
  it('event stream: messageStop encodes to the named vector, byte for byte', () => {
    expect(encodeEvent('messageStop', { stopReason: 'end_turn' }).toString('hex')).toBe(MESSAGE_STOP_END_TURN.toString('hex'));
  });

  it('event stream: the named vector follows the documented layout (prelude, CRC32s, string headers)', () => {
    const headers = Buffer.concat([
      stringHeader(':event-type', 'messageStop'),
      stringHeader(':content-type', 'application/json'),
      stringHeader(':message-type', 'event'),
    ]);
    expect(frameByLayout(headers, Buffer.from('{"stopReason":"end_turn"}')).equals(MESSAGE_STOP_END_TURN)).toBe(true);
  });

  it('event stream: the named vector decodes back to its headers and JSON payload', () => {
    const message = eventStreamCodec.decode(MESSAGE_STOP_END_TURN);
    expect(message.headers).toEqual({
      ':event-type': { type: 'string', value: 'messageStop' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    });
    expect(JSON.parse(Buffer.from(message.body).toString('utf8'))).toEqual({ stopReason: 'end_turn' });
  });

  it('event stream: a frame with a corrupted payload byte is rejected by its message CRC', () => {
    const corrupted = Buffer.from(MESSAGE_STOP_END_TURN);
    corrupted.writeUInt8(corrupted.readUInt8(corrupted.length - 6) ^ 0xff, corrupted.length - 6);
    expect(() => eventStreamCodec.decode(corrupted)).toThrow(/checksum/i);
  });

  it('event stream: a frame with a corrupted headers length is rejected by its prelude CRC', () => {
    const corrupted = Buffer.from(MESSAGE_STOP_END_TURN);
    corrupted[7] = 0x50;
    expect(() => eventStreamCodec.decode(corrupted)).toThrow(/prelude checksum/i);
  });

  it('event stream: a frame whose stated length disagrees with its bytes is rejected', () => {
    expect(() => eventStreamCodec.decode(MESSAGE_STOP_END_TURN.subarray(0, 100))).toThrow(/length/i);
  });

  it('event stream: a throttlingException encodes to the named exception vector, byte for byte', () => {
    expect(encodeException('throttlingException', THROTTLING_MESSAGE).toString('hex')).toBe(THROTTLING_EXCEPTION_FRAME.toString('hex'));
  });

  it('event stream: the exception vector follows the documented layout and decodes to its headers and message', () => {
    const headers = Buffer.concat([
      stringHeader(':exception-type', 'throttlingException'),
      stringHeader(':content-type', 'application/json'),
      stringHeader(':message-type', 'exception'),
    ]);
    expect(frameByLayout(headers, Buffer.from(JSON.stringify(THROTTLING_MESSAGE))).equals(THROTTLING_EXCEPTION_FRAME)).toBe(true);
    const message = eventStreamCodec.decode(THROTTLING_EXCEPTION_FRAME);
    expect(message.headers).toEqual({
      ':exception-type': { type: 'string', value: 'throttlingException' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    });
    expect(JSON.parse(Buffer.from(message.body).toString('utf8'))).toEqual(THROTTLING_MESSAGE);
  });

  it('event stream: an exception frame cut short is rejected', () => {
    expect(() => eventStreamCodec.decode(THROTTLING_EXCEPTION_FRAME.subarray(0, 150))).toThrow(/length/i);
  });

  it('event stream: an InvokeModelWithResponseStream chunk is a `chunk` event whose JSON payload carries the model bytes in base64 (4.5)', () => {
    const modelEvent = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } };
    const payload = Buffer.from('{"bytes":"eyJ0eXBlIjoiY29udGVudF9ibG9ja19kZWx0YSIsImluZGV4IjowLCJkZWx0YSI6eyJ0eXBlIjoidGV4dF9kZWx0YSIsInRleHQiOiJIaSJ9fQ=="}');
    const expected = frameByLayout(
      Buffer.concat([stringHeader(':event-type', 'chunk'), stringHeader(':content-type', 'application/json'), stringHeader(':message-type', 'event')]),
      payload,
    );
    const frame = chunkEvent(modelEvent);
    expect(frame.toString('hex')).toBe(expected.toString('hex'));
    const decoded = JSON.parse(Buffer.from(eventStreamCodec.decode(frame).body).toString('utf8')) as { bytes: string };
    expect(JSON.parse(Buffer.from(decoded.bytes, 'base64').toString('utf8'))).toEqual(modelEvent);
  });
});
