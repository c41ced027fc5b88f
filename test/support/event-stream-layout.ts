import { crc32 } from 'node:zlib';

/**
 * An event-stream frame built by hand from the documented layout (total and headers length, prelude
 * CRC, headers, payload, message CRC; CRC-32 from zlib), independently of @smithy/eventstream-codec,
 * so the codec's output can be checked against the spec rather than against itself.
 */
export function stringHeader(name: string, value: string): Buffer {
  const n = Buffer.from(name);
  const v = Buffer.from(value);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(v.length);
  return Buffer.concat([Buffer.from([n.length]), n, Buffer.from([7]), len, v]);
}

export function frameByLayout(headers: Buffer, payload: Buffer): Buffer {
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(16 + headers.length + payload.length, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude));
  const body = Buffer.concat([prelude, preludeCrc, headers, payload]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(crc32(body));
  return Buffer.concat([body, messageCrc]);
}
