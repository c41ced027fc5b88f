import { describe, expect, it } from 'vitest';
import { FrameSizeWatcher } from '../../emulator/gateway/ws-frames.ts';

/** Client frames (masked) as RFC 6455 §5.2 lays them out; the payload bytes are never inspected. */
const MASK = [0x37, 0xfa, 0x21, 0x3d];
/** "Hello": FIN + text, mask bit + 7-bit length 5 (RFC 6455 §5.7 example, masked). */
const HELLO_MASKED = Buffer.from([0x81, 0x85, ...MASK, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
/** FIN + text, 16-bit length 32768 (0x8000): exactly the limit. */
const TEXT_32768_HEADER = Buffer.from([0x81, 0xfe, 0x80, 0x00, ...MASK]);
/** FIN + text, 16-bit length 32769: one byte over. */
const TEXT_32769_HEADER = Buffer.from([0x81, 0xfe, 0x80, 0x01, ...MASK]);
/** Not FIN + text, 64-bit length 65536: a first fragment over the limit. */
const TEXT_65536_FRAGMENT_HEADER = Buffer.from([0x01, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, ...MASK]);
/** FIN + ping, empty payload, masked. */
const PING = Buffer.from([0x89, 0x80, ...MASK]);
/** Unmasked (server-style) FIN + binary, 7-bit length 2. */
const BINARY_UNMASKED = Buffer.from([0x82, 0x02, 0xab, 0xcd]);

const LIMIT = 32_768;

describe('WebSocket frame size watcher', () => {
  it('ws-frames: small frames, pings and an exactly-32 KB frame pass', () => {
    const w = new FrameSizeWatcher(LIMIT);
    expect(w.push(HELLO_MASKED)).toBeUndefined();
    expect(w.push(PING)).toBeUndefined();
    expect(w.push(Buffer.concat([TEXT_32768_HEADER, Buffer.alloc(32_768)]))).toBeUndefined();
    expect(w.push(BINARY_UNMASKED)).toBeUndefined();
  });

  it('ws-frames: a 16-bit length one byte over the limit is reported with its opcode and FIN', () => {
    const w = new FrameSizeWatcher(LIMIT);
    expect(w.push(Buffer.concat([HELLO_MASKED, TEXT_32769_HEADER]))).toEqual({ opcode: 1, fin: true, length: 32_769 });
  });

  it('ws-frames: a 64-bit length first fragment is reported', () => {
    expect(new FrameSizeWatcher(LIMIT).push(TEXT_65536_FRAGMENT_HEADER)).toEqual({ opcode: 1, fin: false, length: 65_536 });
  });

  it('ws-frames: headers and payloads split across chunks at every byte are followed', () => {
    const stream = Buffer.concat([HELLO_MASKED, TEXT_32768_HEADER, Buffer.alloc(32_768), PING, TEXT_32769_HEADER]);
    for (const size of [1, 2, 3, 7, 13, 1000]) {
      const w = new FrameSizeWatcher(LIMIT);
      const found = [];
      for (let i = 0; i < stream.length; i += size) {
        const hit = w.push(stream.subarray(i, i + size));
        if (hit) found.push(hit);
      }
      expect(found, `chunks of ${size}`).toEqual([{ opcode: 1, fin: true, length: 32_769 }]);
    }
  });

  it('ws-frames: reports once, then stays quiet', () => {
    const w = new FrameSizeWatcher(LIMIT);
    expect(w.push(TEXT_32769_HEADER)).toBeDefined();
    expect(w.push(TEXT_32769_HEADER)).toBeUndefined();
  });

  it('ws-frames: an incomplete header reports nothing yet', () => {
    const w = new FrameSizeWatcher(LIMIT);
    expect(w.push(TEXT_65536_FRAGMENT_HEADER.subarray(0, 5))).toBeUndefined();
    expect(w.push(TEXT_65536_FRAGMENT_HEADER.subarray(5))).toMatchObject({ length: 65_536 });
  });
});
