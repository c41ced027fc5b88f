import { z } from 'zod';
import { ROUTE_KEY_PATTERN, stageNameSchema, throttleSchema } from '../apigw-common/options.ts';

const authorizerSchema = z.strictObject({
  type: z.enum(['TOKEN', 'REQUEST']),
  function: z.string(),
  /** TOKEN: one header, default `method.request.header.Authorization`. REQUEST: any of header/querystring/stageVariables/context. */
  identitySource: z.union([z.string(), z.array(z.string())]).optional(),
  /** TOKEN only: a token that does not match gets 401 without invoking the authorizer. */
  identityValidationExpression: z.string().optional(),
  /** 0 disables caching; default 300, at most 3600. */
  resultTtlInSeconds: z.number().int().min(0).max(3600).default(300),
});

const routeSchema = z.union([
  z.string(),
  z.strictObject({
    function: z.string(),
    /** 50 ms to 29 s; above 29 s only with `integrationTimeoutQuotaMs` raised on the API. */
    integrationTimeoutMs: z.number().int().min(50).optional(),
    authorizer: z.string().optional(),
    apiKeyRequired: z.boolean().default(false),
    throttle: throttleSchema.optional(),
  }),
]);

export const restApiOptionsSchema = z.strictObject({
  stage: stageNameSchema.default('dev'),
  stageVariables: z.record(z.string(), z.string()).optional(),
  endpointType: z.enum(['REGIONAL', 'EDGE', 'PRIVATE']).default('REGIONAL'),
  /** The raised Service Quotas value for "Maximum integration timeout" (Regional/private only, since June 2024). */
  integrationTimeoutQuotaMs: z.number().int().min(29_000).optional(),
  binaryMediaTypes: z.array(z.string()).default([]),
  /** Stage-level default method throttling. */
  throttle: throttleSchema.optional(),
  apiKeySource: z.enum(['HEADER', 'AUTHORIZER']).default('HEADER'),
  apiKeys: z.record(z.string(), z.strictObject({ value: z.string().min(20), enabled: z.boolean().default(true) })).default({}),
  usagePlans: z
    .record(
      z.string(),
      z.strictObject({
        apiKeys: z.array(z.string()),
        throttle: throttleSchema.optional(),
        quota: z.strictObject({ limit: z.number().int().min(0), period: z.enum(['DAY', 'WEEK', 'MONTH']) }).optional(),
      }),
    )
    .default({}),
  authorizers: z.record(z.string(), authorizerSchema).default({}),
  /** Adds an OPTIONS (MOCK) method answering preflight on every resource, as the console's "Enable CORS" does. */
  cors: z
    .strictObject({
      allowOrigin: z.string().default('*'),
      allowMethods: z.array(z.string()).optional(),
      allowHeaders: z.array(z.string()).default(['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token']),
    })
    .optional(),
  routes: z.record(z.string().regex(ROUTE_KEY_PATTERN, 'route keys are "METHOD /path", e.g. "POST /chat"'), routeSchema),
});

export type RestApiOptions = z.infer<typeof restApiOptionsSchema>;
export type RestApiOptionsInput = z.input<typeof restApiOptionsSchema>;
