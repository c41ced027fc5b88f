import type { IncomingMessage } from 'node:http';

/** Chunks held before the upstream socket is paused: a slow client slows Bedrock, not our memory. */
const HIGH_WATER = 16;

export interface BodyObserver {
  /** Called as each chunk arrives from upstream (not when the client pulls it), for timing. */
  chunk(bytes: Buffer): void;
  end(): void;
}

/**
 * The upstream body as the listener's AsyncIterable. Not `res[Symbol.asyncIterator]`: that is an async
 * generator, whose `return()` waits for the chunk it is suspended on, so a client that went away would
 * keep the Bedrock request (and its token bill) running until the model's next token. Here `return()`
 * aborts the upstream request at once.
 */
export function abortableBody(res: IncomingMessage, abort: () => void, failWith: (cause: Error) => Error, observer: BodyObserver): AsyncIterable<Buffer> {
  const queue: Buffer[] = [];
  let ended = false;
  let cancelled = false;
  let failure: Error | undefined;
  let waiter: { resolve: (r: IteratorResult<Buffer>) => void; reject: (e: Error) => void } | undefined;
  const done = (): IteratorResult<Buffer> => ({ done: true, value: undefined });

  res.on('data', (bytes: Buffer) => {
    observer.chunk(bytes);
    if (waiter) {
      const w = waiter;
      waiter = undefined;
      w.resolve({ done: false, value: bytes });
      return;
    }
    queue.push(bytes);
    if (queue.length >= HIGH_WATER) res.pause();
  });
  res.on('end', () => {
    ended = true;
    observer.end();
    waiter?.resolve(done());
    waiter = undefined;
  });
  const fail = (cause: Error) => {
    if (ended || cancelled || failure) return;
    failure = failWith(cause);
    waiter?.reject(failure);
    waiter = undefined;
  };
  res.on('error', fail);
  res.on('close', () => fail(new Error('the connection closed before the response ended')));

  return {
    [Symbol.asyncIterator]: () => ({
      next() {
        const bytes = queue.shift();
        if (bytes) {
          if (queue.length < HIGH_WATER / 2 && res.isPaused()) res.resume();
          return Promise.resolve({ done: false, value: bytes });
        }
        if (failure) return Promise.reject(failure);
        if (ended || cancelled) return Promise.resolve(done());
        return new Promise((resolve, reject) => { waiter = { resolve, reject }; });
      },
      return() {
        if (!ended) cancelled = true;
        queue.length = 0;
        if (cancelled) abort();
        waiter?.resolve(done());
        waiter = undefined;
        return Promise.resolve(done());
      },
    }),
  };
}

/** Reads a whole (non-streaming) body, still reporting its chunks so the record knows when it ended. */
export async function readAll(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}
