import { z } from 'zod';

/**
 * A variable whose value is one of the emulator's own URLs or keys, known only once it listens:
 * `{"endpoint": "appsyncApis.chat.graphqlUrl"}` is that field of the endpoints file. It stands where a
 * deployment template puts `!GetAtt Api.GraphQLUrl`, so the handler reads its variable unmodified.
 */
export const ENDPOINT_REFERENCE_PATTERN = /^(bedrock|lambda|(restApis|httpApis|functionUrls)\.[^.\s]+|(websocketApis|appsyncApis)\.[^.\s]+\.[A-Za-z]+)$/;
const endpointReferenceSchema = z.strictObject({
  endpoint: z.string().regex(ENDPOINT_REFERENCE_PATTERN, 'must name an endpoints-file field: "bedrock", "lambda", "restApis.<name>", "httpApis.<name>", "functionUrls.<name>", "websocketApis.<name>.url" or "appsyncApis.<name>.graphqlUrl" (or .realtimeUrl, .apiKey, .eventsUrl, .eventsRealtimeUrl)'),
});
export type EndpointReference = z.infer<typeof endpointReferenceSchema>;

/**
 * One Lambda function. `codeUri` is the folder its code is deployed from (SAM's `CodeUri`), relative to
 * the config file's folder; `handler` is `path/to/file.export` inside it, with no "..", as on Lambda.
 * The file may be `.mjs`, `.cjs`, `.js` or `.ts` (the extension may be omitted, as on Lambda).
 */
export const functionOptionsSchema = z.strictObject({
  codeUri: z.string().default('.'),
  handler: z.string().regex(/^[^\s]+\.[A-Za-z_$][\w$]*$/, 'must be "path/to/file.export", e.g. "handlers/chat.handler"'),
  /** Seconds, 1-900, default 3 (Lambda's). */
  timeout: z.number().int().min(1).max(900).default(3),
  memorySize: z.number().int().min(128).max(10_240).default(128),
  /** Values are strings, or `{endpoint}` references resolved when an environment starts. */
  environment: z.record(z.string(), z.union([z.string(), endpointReferenceSchema])).default({}),
  /** Reserved concurrency: at most this many invocations at once; 0 throttles every call. */
  reservedConcurrency: z.number().int().min(0).optional(),
  description: z.string().optional(),
});

export type FunctionOptions = z.infer<typeof functionOptionsSchema>;
export type FunctionOptionsInput = z.input<typeof functionOptionsSchema>;
