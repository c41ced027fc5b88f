import { z } from 'zod';

/** `Type.field`, as AppSync names a resolver's place in the schema. */
export const RESOLVER_KEY_PATTERN = /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$/;

const apiKeyAuthSchema = z.strictObject({
  type: z.literal('API_KEY'),
  /** Default: a stable `da2-` key derived from the API's name (the endpoints file lists it). */
  apiKey: z.string().min(1).optional(),
});

const resolverSchema = z.union([
  /** A direct Lambda resolver: the function gets AppSync's context as its event, its result is the field. */
  z.strictObject({ function: z.string() }),
  /** A local resolver (NONE data source): the field resolves to its arguments, as `{payload: ctx.args}` does. */
  z.strictObject({ dataSource: z.literal('NONE') }),
]);

/** AppSync's channel namespace names: as a channel segment (reference §3.3), 1-50 characters. */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/;

/**
 * The Events API of this AppSync API. On AWS an Event API is its own API (`CreateApi`, not
 * `CreateGraphqlApi`); here it lives under the same entry because that reuses what the two share
 * locally: one port (POST /event and /event/realtime beside /graphql, as on a custom domain), one
 * API key and its checks, one endpoints-file entry. Handlers are not emulated yet, so a namespace
 * has no options; the empty object leaves room for `onPublish`/`onSubscribe`.
 */
const eventsSchema = z.strictObject({
  /** Channel namespaces by name; a channel's first segment must name one (reference §3.4). AWS creates `default`. */
  namespaces: z.record(z.string().regex(NAMESPACE_PATTERN, 'namespace names are 1-50 letters, digits and "-", not starting or ending with "-"'), z.strictObject({})).default({ default: {} }),
});

export const appsyncApiOptionsSchema = z.strictObject({
  /** The SDL file, relative to the config file's folder (as `codeUri`). AWS scalars and directives are predefined. */
  schema: z.string().min(1),
  /** Authorization modes; this slice implements API_KEY only. */
  auth: z.array(z.discriminatedUnion('type', [apiKeyAuthSchema])).min(1).max(1).default([{ type: 'API_KEY' }]),
  /** The AppSync Events API served on the same port; absent: POST /event and /event/realtime answer 404. */
  events: eventsSchema.optional(),
  resolvers: z.record(z.string().regex(RESOLVER_KEY_PATTERN, 'resolver keys are "Type.field", e.g. "Mutation.sendMessage"'), resolverSchema).default({}),
});

export type AppSyncApiOptions = z.infer<typeof appsyncApiOptionsSchema>;
export type AppSyncApiOptionsInput = z.input<typeof appsyncApiOptionsSchema>;
export type ResolverOptions = AppSyncApiOptions['resolvers'][string];
export type AppSyncEventsOptions = z.infer<typeof eventsSchema>;
