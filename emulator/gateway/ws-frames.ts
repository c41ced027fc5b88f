/**
 * Frame sizes on a client's WebSocket byte stream (RFC 6455 §5.2). `ws` enforces a message limit
 * (`maxPayload`) but exposes no frame sizes, and API Gateway also closes on any frame over 32 KB
 * (1009), so the listener taps the raw bytes and reads each frame header: FIN, opcode, mask bit and
 * the 7-bit, 16-bit or 64-bit payload length, skipping the (masked) payload that follows.
 */

export interface OversizedFrame {
  opcode: number;
  fin: boolean;
  length: number;
}

export class FrameSizeWatcher {
  /** Header bytes seen so far (2 to 14 bytes: base, extended length, masking key). */
  private readonly header = Buffer.alloc(14);
  private headerLength = 0;
  /** Payload bytes still to skip before the next header. */
  private remaining = 0;
  private tripped = false;

  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds the next chunk; returns the first frame whose payload is over the limit, once. */
  push(chunk: Buffer): OversizedFrame | undefined {
    if (this.tripped) return undefined;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const skip = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= skip;
        offset += skip;
        continue;
      }
      this.header[this.headerLength++] = chunk[offset++]!;
      const needed = this.headerSize();
      if (needed === undefined || this.headerLength < needed) continue;
      const frame = this.parse();
      this.headerLength = 0;
      if (frame.length > this.maxFrameBytes) {
        this.tripped = true;
        return frame;
      }
      this.remaining = frame.length;
    }
    return undefined;
  }

  /** Full header size once the second byte is known. */
  private headerSize(): number | undefined {
    if (this.headerLength < 2) return undefined;
    const b1 = this.header[1]!;
    const len7 = b1 & 0x7f;
    const extended = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    return 2 + extended + (b1 & 0x80 ? 4 : 0);
  }

  private parse(): OversizedFrame {
    const b0 = this.header[0]!;
    const len7 = this.header[1]! & 0x7f;
    let length = len7;
    if (len7 === 126) length = this.header.readUInt16BE(2);
    else if (len7 === 127) length = Number(this.header.readBigUInt64BE(2));
    return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, length };
  }
}
