import { z } from 'zod';
import { ROUTE_KEY_PATTERN, throttleSchema } from '../apigw-common/options.ts';

const jwtAuthorizerSchema = z.strictObject({
  type: z.literal('JWT'),
  issuer: z.string(),
  audience: z.array(z.string()).min(1).max(50),
  /** Default `$request.header.Authorization`. */
  identitySource: z.string().default('$request.header.Authorization'),
  /** A JWKS JSON file, relative to the config. Without it the emulator's own local issuer keys are used. */
  jwksFile: z.string().optional(),
});

const lambdaAuthorizerSchema = z.strictObject({
  type: z.literal('REQUEST'),
  function: z.string(),
  payloadFormatVersion: z.enum(['1.0', '2.0']).default('2.0'),
  enableSimpleResponses: z.boolean().default(false),
  identitySource: z.array(z.string()).default(['$request.header.Authorization']),
  resultTtlInSeconds: z.number().int().min(0).max(3600).default(0),
});

const routeSchema = z.union([
  z.string(),
  z.strictObject({
    function: z.string(),
    /** 50 ms to 30 s (not increasable on HTTP APIs). */
    integrationTimeoutMs: z.number().int().min(50).max(30_000).optional(),
    payloadFormatVersion: z.enum(['1.0', '2.0']).optional(),
    authorizer: z.string().optional(),
    authorizationScopes: z.array(z.string()).max(10).optional(),
    throttle: throttleSchema.optional(),
  }),
]);

export const httpApiOptionsSchema = z.strictObject({
  /** `$default` (no path prefix) or a named stage (invoke URL and `rawPath` carry the prefix). */
  stage: z.string().regex(/^(\$default|[A-Za-z0-9_-]{1,128})$/).default('$default'),
  stageVariables: z.record(z.string(), z.string()).optional(),
  payloadFormatVersion: z.enum(['1.0', '2.0']).default('2.0'),
  /** Stage default route throttling. */
  throttle: throttleSchema.optional(),
  authorizers: z.record(z.string(), z.discriminatedUnion('type', [jwtAuthorizerSchema, lambdaAuthorizerSchema])).default({}),
  cors: z
    .strictObject({
      allowOrigins: z.array(z.string()).default([]),
      allowMethods: z.array(z.string()).default([]),
      allowHeaders: z.array(z.string()).default([]),
      exposeHeaders: z.array(z.string()).default([]),
      maxAge: z.number().int().min(0).optional(),
      allowCredentials: z.boolean().default(false),
    })
    .optional(),
  routes: z.record(
    z.string().refine((k) => k === '$default' || ROUTE_KEY_PATTERN.test(k), 'route keys are "METHOD /path" or "$default"'),
    routeSchema,
  ),
});

export type HttpApiOptions = z.infer<typeof httpApiOptionsSchema>;
export type HttpApiOptionsInput = z.input<typeof httpApiOptionsSchema>;
