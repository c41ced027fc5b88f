// A buffered handler whose answer is 7 MB: over the 6 MB a function URL (BUFFERED) or any synchronous
// invoke may return. On AWS the caller gets a 502; streaming is how an answer this large gets through.
export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'text/plain' },
  body: 'x'.repeat(7 * 1024 * 1024),
});
