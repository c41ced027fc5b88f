import type { AnyHttpResponse, HttpRequest } from '../../core/http.ts';

/**
 * Between msw's fetch `Request` / `Response` and the wire-neutral exchange the router speaks, as
 * gateway/ does for sockets. Pure conversion: what to answer is the router's business.
 */

/**
 * The fetch request as the router sees a socket's: path and query as sent (percent-encoding kept, so
 * `%3A` and `%2F` in model ids and ARNs reach the router encoded). `prefix` is the path of a custom
 * endpoint, which the SDK puts before AWS's paths.
 */
export async function toHttpRequest(request: Request, prefix = ''): Promise<HttpRequest> {
  const url = new URL(request.url);
  const path = prefix && url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
  const rawHeaders: string[] = [];
  request.headers.forEach((value, name) => rawHeaders.push(name, value));
  return {
    method: request.method,
    rawUrl: `${path}${url.search}`,
    rawHeaders,
    body: Buffer.from(await request.arrayBuffer()),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
  };
}

/** String and Buffer bodies go as they are; a streaming body becomes a lazily pulled ReadableStream. */
export function toFetchResponse(response: AnyHttpResponse): Response {
  const { status, headers, body } = response;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return new Response(typeof body === 'string' ? body : new Uint8Array(body), { status, headers });
  return new Response(lazyStream(body), { status, headers });
}

/**
 * Pulls one chunk per read (highWaterMark 0), so frames reach the client at their paced instants
 * rather than being drained ahead, and cancelling the body runs the iterator's `return` (which
 * cancels the producer's pending timer), as a socket listener does when the client goes away.
 */
export function lazyStream(source: AsyncIterable<Buffer>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
