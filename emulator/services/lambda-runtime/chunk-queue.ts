/**
 * The chunks of one streamed invoke on the main thread: held until the reader takes them, each taken
 * chunk acknowledged to the worker (its back-pressure credit). One reader; `return()` (a `for await`
 * left early) calls `onReturn`, which the stream treats as the client going away.
 */

interface Held {
  bytes: Buffer;
  ack: () => void;
}

export class ChunkQueue implements AsyncIterable<Buffer> {
  private held: Held[] = [];
  private waiter: ((result: IteratorResult<Buffer>) => void) | undefined;
  private ended = false;
  private dropping = false;

  constructor(private readonly onReturn: () => void) {}

  push(bytes: Buffer, ack: () => void): void {
    if (this.dropping) {
      ack();
      return;
    }
    const waiter = this.waiter;
    if (!waiter) {
      this.held.push({ bytes, ack });
      return;
    }
    this.waiter = undefined;
    ack();
    waiter({ value: bytes, done: false });
  }

  /** No more chunks will come; those held are still read. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  /** The reader is gone: held and later chunks are acknowledged unread, so the handler is never blocked. */
  drop(): void {
    this.dropping = true;
    for (const { ack } of this.held.splice(0)) ack();
    this.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return {
      next: () => {
        const first = this.held.shift();
        if (first) {
          first.ack();
          return Promise.resolve({ value: first.bytes, done: false });
        }
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiter = resolve));
      },
      return: () => {
        this.onReturn();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private wake(): void {
    const waiter = this.waiter;
    if (waiter && this.held.length === 0) {
      this.waiter = undefined;
      waiter({ value: undefined, done: true });
    }
  }
}
