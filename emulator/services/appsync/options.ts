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

export const appsyncApiOptionsSchema = z.strictObject({
  /** The SDL file, relative to the config file's folder (as `codeUri`). AWS scalars and directives are predefined. */
  schema: z.string().min(1),
  /** Authorization modes; this slice implements API_KEY only. */
  auth: z.array(z.discriminatedUnion('type', [apiKeyAuthSchema])).min(1).max(1).default([{ type: 'API_KEY' }]),
  resolvers: z.record(z.string().regex(RESOLVER_KEY_PATTERN, 'resolver keys are "Type.field", e.g. "Mutation.sendMessage"'), resolverSchema).default({}),
});

export type AppSyncApiOptions = z.infer<typeof appsyncApiOptionsSchema>;
export type AppSyncApiOptionsInput = z.input<typeof appsyncApiOptionsSchema>;
export type ResolverOptions = AppSyncApiOptions['resolvers'][string];
