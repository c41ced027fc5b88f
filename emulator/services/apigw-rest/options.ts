import { z } from 'zod';
import { ROUTE_KEY_PATTERN, stageNameSchema, throttleSchema } from '../apigw-common/options.ts';
import { draft04Problem } from './models.ts';

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

/**
 * A method request parameter as API Gateway names it; the name is everything after the location, so
 * `method.request.querystring.filter.name` requires `?filter.name=`.
 */
export const REQUEST_PARAMETER_PATTERN = /^method\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.(.+)$/;

/** A JSON Schema draft 4 object, API Gateway's model language (references between models resolve at startup). */
const modelSchema = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  const problem = draft04Problem(schema);
  if (problem) ctx.addIssue({ code: 'custom', message: `is not a JSON Schema draft 4: ${problem}` });
});

const routeSchema = z.union([
  z.string(),
  z.strictObject({
    function: z.string(),
    /**
     * 50 ms to 29 s; above 29 s only with `integrationTimeoutQuotaMs` raised on the API, or up to
     * 15 minutes on a STREAM route. In STREAM mode it bounds the wait for the response's first byte.
     */
    integrationTimeoutMs: z.number().int().min(50).optional(),
    /**
     * The integration's `responseTransferMode`. STREAM invokes the function with response streaming
     * (it must use `awslambda.streamifyResponse` and `HttpResponseStream.from`) and sends its body to
     * the client as it is written (stream.ts).
     */
    responseTransferMode: z.enum(['BUFFERED', 'STREAM']).default('BUFFERED'),
    authorizer: z.string().optional(),
    apiKeyRequired: z.boolean().default(false),
    throttle: throttleSchema.optional(),
    /**
     * The method's request validator, as the console names them: "params" validates query string
     * parameters and headers (and path parameters), "body" validates the body, "all" both.
     * Without one, `requestParameters` and `requestModels` are declarations only, as on AWS.
     */
    requestValidator: z.enum(['params', 'body', 'all']).optional(),
    /** `method.request.{querystring|header|path|multivaluequerystring|multivalueheader}.NAME`: true = required. */
    requestParameters: z
      .record(z.string().regex(REQUEST_PARAMETER_PATTERN, 'request parameters are "method.request.{querystring|header|path}.NAME"'), z.boolean())
      .optional(),
    /** Content type (`application/json`, or `$default` for any other) -> model name. */
    requestModels: z.record(z.string().regex(/^(\$default|[^\s/;]+\/[^\s/;]+)$/, 'content types are "type/subtype" or "$default"'), z.string()).optional(),
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
  /** Request body models by name (JSON Schema draft 4). `Empty` and `Error` exist on every API, as on AWS. */
  models: z.record(z.string().regex(/^[A-Za-z0-9]+$/, 'model names are alphanumeric, as API Gateway requires'), modelSchema).default({}),
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
