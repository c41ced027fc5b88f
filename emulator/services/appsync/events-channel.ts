/**
 * Channel paths of the Events API (reference §3.3, §3.4): 1-5 segments of 1-50 letters, digits and
 * `-` (not at either end), an optional leading and trailing `/`, case-sensitive. The first segment is
 * the namespace. A subscription may end in one `*` segment; where the reference is silent, `*`
 * matches one or more further segments (so `/default/*` does not match `/default`), and `*`
 * anywhere else, or in a publish, is an invalid channel.
 */

const SEGMENT = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/;
export const MAX_SEGMENTS = 5;

export interface Channel {
  /** `/seg1/seg2`, normalised to a leading `/` and no trailing one. */
  path: string;
  namespace: string;
  /** The segments before any wildcard. */
  segments: string[];
  /** Ends in `/*` (subscriptions only). */
  wildcard: boolean;
}

/** A channel path, or undefined when it breaks the rules. */
export function parseChannel(value: unknown, allowWildcard: boolean): Channel | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/^\//, '').replace(/\/$/, '');
  const parts = trimmed.split('/');
  if (parts.length > MAX_SEGMENTS) return undefined;
  const wildcard = allowWildcard && parts.length > 1 && parts[parts.length - 1] === '*';
  const segments = wildcard ? parts.slice(0, -1) : parts;
  if (!segments.every((s) => SEGMENT.test(s))) return undefined;
  return { path: `/${parts.join('/')}`, namespace: segments[0]!, segments, wildcard };
}

/** Whether a publish to `published` (no wildcard) reaches a subscription to `subscribed`. */
export function channelMatches(subscribed: Channel, published: Channel): boolean {
  const n = subscribed.segments.length;
  if (subscribed.wildcard ? published.segments.length <= n : published.segments.length !== n) return false;
  return subscribed.segments.every((s, i) => published.segments[i] === s);
}
