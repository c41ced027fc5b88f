/**
 * Which request bodies an HTTP API passes to Lambda as text and which it base64-encodes. AWS documents
 * the mechanism ("if the content type of the request is binary, the body is base64-encoded") but not
 * the list. This follows two independent measurements against real HTTP APIs (floci-io/floci#2172 and
 * its PR #2203; ministackorg/ministack#766): text for `text/*` and for `application/json`, `xml`,
 * `javascript` and `graphql`; base64 for everything else, including a missing `Content-Type` and
 * `application/x-www-form-urlencoded`. A parameter other than `charset=utf-8` makes it binary
 * (measured: `text/plain; charset=iso-8859-1` arrived base64-encoded).
 */
const TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/javascript', 'application/graphql']);

export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (!type.startsWith('text/') && !TEXT_TYPES.has(type)) return false;
  if (semi === -1) return true;
  const params = contentType.slice(semi + 1).split(';');
  return params.every((p) => {
    const param = p.trim().toLowerCase();
    return param === '' || param === 'charset=utf-8' || param === 'charset="utf-8"';
  });
}

/** The event's `body`/`isBase64Encoded` pair; an empty body is left out of the event. */
export function encodeRequestBody(body: Buffer, contentType: string | undefined): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { isBase64Encoded: false };
  if (isTextContentType(contentType)) return { body: body.toString('utf8'), isBase64Encoded: false };
  return { body: body.toString('base64'), isBase64Encoded: true };
}
