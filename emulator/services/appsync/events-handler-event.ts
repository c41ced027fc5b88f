import type { Channel } from './events-channel.ts';

/**
 * The event a namespace handler's Lambda gets under a direct integration (reference §3.6): AppSync's
 * handler context, in the key order of the reference's example. Powertools for AWS Lambda types the
 * same fields (`AppSyncEventsPublishEvent`, `AppSyncEventsSubscribeEvent`); a subscribe has
 * `events: null`. Checked against fixtures/events/appsync/events-*-request.json.
 */
export interface EventsHandlerEvent {
  /** `null` under API_KEY; the authorized principal's identity under the other modes. */
  identity: object | null;
  result: null;
  error: null;
  prev: null;
  stash: Record<string, unknown>;
  outErrors: unknown[];
  /** `domainName` is `null` without a custom domain (Powertools types it so). */
  request: { headers: Record<string, string>; domainName: string | null };
  info: {
    /** The channel as published or subscribed, with a leading `/` (a subscription keeps its `/*`). */
    channel: { path: string; segments: string[] };
    channelNamespace: { name: string };
    operation: 'PUBLISH' | 'SUBSCRIBE';
  };
  /** Each event's identifier (the one the publish answer lists) and its payload, parsed from the JSON string the client sent. */
  events: Array<{ id: string; payload: unknown }> | null;
}

export interface EventsHandlerEventInput {
  channel: Channel;
  headers: Record<string, string>;
  identity?: object | null;
  /** Present for a publish, absent for a subscribe. */
  events?: Array<{ id: string; payload: unknown }>;
}

export function buildEventsHandlerEvent(input: EventsHandlerEventInput): EventsHandlerEvent {
  const { channel } = input;
  return {
    identity: input.identity ?? null,
    result: null,
    error: null,
    prev: null,
    stash: {},
    outErrors: [],
    request: { headers: input.headers, domainName: null },
    info: {
      channel: { path: channel.path, segments: channelSegments(channel) },
      channelNamespace: { name: channel.namespace },
      operation: input.events ? 'PUBLISH' : 'SUBSCRIBE',
    },
    events: input.events ?? null,
  };
}

/** The path's segments as written: a wildcard subscription keeps its `*` (the reference shows none; our choice). */
function channelSegments(channel: Channel): string[] {
  return channel.wildcard ? [...channel.segments, '*'] : [...channel.segments];
}
