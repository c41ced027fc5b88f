/**
 * `binaryMediaTypes` matching (reference §2.10). Entries are exact (`image/png`), type wildcards
 * (`image/*`) or `*` + `/` + `*`. Compiled once per API into sets, so a request costs a lookup, not a scan.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html
 */

export type MediaTypeMatcher = (mediaType: string | undefined) => boolean;

/** `Text/HTML; charset=utf-8` -> `text/html`. */
export function essence(mediaType: string): string {
  const semi = mediaType.indexOf(';');
  return (semi === -1 ? mediaType : mediaType.slice(0, semi)).trim().toLowerCase();
}

export function compileBinaryMediaTypes(types: readonly string[]): MediaTypeMatcher {
  if (types.length === 0) return () => false;
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  let any = false;
  for (const raw of types) {
    const t = essence(raw);
    if (t === '*/*') any = true;
    else if (t.endsWith('/*')) prefixes.add(t.slice(0, -1));
    else exact.add(t);
  }
  return (mediaType) => {
    if (mediaType === undefined) return false;
    if (any) return true;
    const t = essence(mediaType);
    if (exact.has(t)) return true;
    const slash = t.indexOf('/');
    return slash !== -1 && prefixes.has(t.slice(0, slash + 1));
  };
}

/** API Gateway honours only the first media type of `Accept` when choosing a binary response. */
export function firstAcceptType(accept: string | undefined): string | undefined {
  if (accept === undefined) return undefined;
  const comma = accept.indexOf(',');
  const first = comma === -1 ? accept : accept.slice(0, comma);
  return first.trim() === '' ? undefined : first;
}
