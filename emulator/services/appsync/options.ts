import { z } from 'zod';
import { LIMIT_NAMES, type LimitName } from '../../core/limits.ts';
import { authSchema } from './auth/options.ts';

/** `Type.field`, as AppSync names a resolver's place in the schema. */
export const RESOLVER_KEY_PATTERN = /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$/;

/** AppSync's data source names (`CreateDataSource`): letters, digits and `_`, not starting with a digit. */
export const DATA_SOURCE_NAME_PATTERN = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** The data sources APPSYNC_JS resolvers can name (reference §1.9). `NONE` also exists without being declared. */
const dataSourceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('AWS_LAMBDA'), function: z.string().min(1) }),
  z.strictObject({ type: z.literal('NONE') }),
  /** The emulator's Bedrock runtime (mock, real, record or replay, as `bedrock` says); needs `bedrock.enabled`. */
  z.strictObject({ type: z.literal('AMAZON_BEDROCK_RUNTIME') }),
]);

const resolverSchema = z.union([
  /** A direct Lambda resolver: the function gets AppSync's context as its event, its result is the field. */
  z.strictObject({ function: z.string() }),
  /** A local resolver (NONE data source): the field resolves to its arguments, as `{payload: ctx.args}` does. */
  z.strictObject({ dataSource: z.literal('NONE') }),
  /**
   * An APPSYNC_JS unit resolver: `code` (relative to the config file's folder, .js/.mjs/.ts) exports
   * `request(ctx)` and `response(ctx)`; `dataSource` names one of `dataSources`, or `NONE`.
   */
  z.strictObject({ dataSource: z.string().regex(DATA_SOURCE_NAME_PATTERN), code: z.string().regex(/\.(?:m?js|ts)$/, 'code is a .js, .mjs or .ts file') }),
]);

/** AppSync's channel namespace names: as a channel segment (reference §3.3), 1-50 characters. */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/;

/**
 * A namespace handler as a direct Lambda integration: AWS's `handlerConfigs.onPublish|onSubscribe`
 * with `behavior: DIRECT` and `integration.lambdaConfig.invokeType` (API_CreateChannelNamespace;
 * direct-lambda-integrations.html). The data source is named by the function it invokes. `EVENT`
 * invokes without waiting: events are broadcast unchanged, subscriptions accepted.
 */
const handlerConfigSchema = z.strictObject({
  function: z.string(),
  invokeType: z.enum(['REQUEST_RESPONSE', 'EVENT']).default('REQUEST_RESPONSE'),
});

/**
 * One channel namespace. No handler: events are broadcast as published, every subscription accepted (AWS's default).
 * `code` is AWS's namespace `codeHandlers` (behavior CODE): an APPSYNC_JS file, relative to the config file's
 * folder, exporting `onPublish(ctx)` and/or `onSubscribe(ctx)`. A handler comes from the code or from a
 * Lambda, never both: the two Lambdas leave the code nothing to run, and (checked when the file loads,
 * events-code-handlers.ts) an export of the code may not also be configured as a Lambda.
 */
const namespaceSchema = z.strictObject({
  code: z.string().regex(/\.(?:m?js|ts)$/, 'code is a .js, .mjs or .ts file').optional(),
  onPublish: handlerConfigSchema.optional(),
  onSubscribe: handlerConfigSchema.optional(),
}).superRefine((ns, ctx) => {
  if (ns.code !== undefined && ns.onPublish && ns.onSubscribe) ctx.addIssue({ code: 'custom', path: ['code'], message: 'code handlers and Lambda onPublish and onSubscribe cannot all be set: each handler comes from the code or from a Lambda; remove code or one Lambda handler' });
});

/**
 * The Events API of this AppSync API. On AWS an Event API is its own API (`CreateApi`, not
 * `CreateGraphqlApi`); here it lives under the same entry because that reuses what the two share
 * locally: one port (POST /event and /event/realtime beside /graphql, as on a custom domain), one
 * API key and its checks, one endpoints-file entry. An entry with `events` and no `schema` is an
 * Events-only API, as AWS's own kind is.
 */
const eventsSchema = z.strictObject({
  /** Channel namespaces by name; a channel's first segment must name one (reference §3.4). AWS creates `default`. */
  namespaces: z.record(z.string().regex(NAMESPACE_PATTERN, 'namespace names are 1-50 letters, digits and "-", not starting or ending with "-"'), namespaceSchema).default({ default: {} }),
});

/**
 * This API's own values for AppSync's limits (the `appsync*` names of core/limits.ts), above the
 * config's `limits`: one API can be made to behave differently, e.g. `{appsyncKeepAliveMs: 0}` to stop
 * its `ka` messages and show what a client does when they go missing.
 */
const APPSYNC_LIMITS = LIMIT_NAMES.filter((n) => n.startsWith('appsync'));
const apiLimitsSchema = z.strictObject(Object.fromEntries(APPSYNC_LIMITS.map((n) => [n, z.number().min(0).optional()])) as Record<LimitName, z.ZodOptional<z.ZodNumber>>);

export const appsyncApiOptionsSchema = z.strictObject({
  /** AppSync limits for this API only (see apiLimitsSchema). */
  limits: apiLimitsSchema.optional(),
  /** The SDL file, relative to the config file's folder (as `codeUri`). AWS scalars and directives are predefined. Optional with `events` (an Events-only API). */
  schema: z.string().min(1).optional(),
  /** Authorization modes: the first is the default, the others additional (auth/options.ts). */
  auth: authSchema,
  /** The AppSync Events API served on the same port; absent: POST /event and /event/realtime answer 404. */
  events: eventsSchema.optional(),
  resolvers: z.record(z.string().regex(RESOLVER_KEY_PATTERN, 'resolver keys are "Type.field", e.g. "Mutation.sendMessage"'), resolverSchema).default({}),
  /** Data sources by name, for resolvers with `code`. */
  dataSources: z.record(z.string().regex(DATA_SOURCE_NAME_PATTERN, 'data source names are letters, digits and "_"'), dataSourceSchema).default({}),
}).superRefine((api, ctx) => {
  // A GraphQL API needs its SDL; an Events-only API has none, so resolvers have no field to attach to.
  if (api.schema === undefined && api.events === undefined) ctx.addIssue({ code: 'custom', path: ['schema'], message: 'set "schema" (a GraphQL API), "events" (an Events API), or both' });
  if (api.schema === undefined && Object.keys(api.resolvers).length > 0) ctx.addIssue({ code: 'custom', path: ['resolvers'], message: 'resolvers need a "schema"' });
});

export type AppSyncApiOptions = z.infer<typeof appsyncApiOptionsSchema>;
export type AppSyncApiOptionsInput = z.input<typeof appsyncApiOptionsSchema>;
export type ResolverOptions = AppSyncApiOptions['resolvers'][string];
export type DataSourceOptions = AppSyncApiOptions['dataSources'][string];
export type AppSyncEventsOptions = z.infer<typeof eventsSchema>;
export type EventsNamespaceOptions = z.infer<typeof namespaceSchema>;
export type EventsHandlerConfig = z.infer<typeof handlerConfigSchema>;
