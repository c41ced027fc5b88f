import { z } from 'zod';

/**
 * One Lambda function URL (reference §6.3): the function it invokes, how (`BUFFERED` uses Invoke and
 * its 6 MB response; `RESPONSE_STREAM` uses InvokeWithResponseStream), who may call it, and its CORS.
 * Field names follow the CreateFunctionUrlConfig API, camel-cased.
 */
export const functionUrlOptionsSchema = z.strictObject({
  function: z.string(),
  invokeMode: z.enum(['BUFFERED', 'RESPONSE_STREAM']).default('BUFFERED'),
  authType: z.enum(['NONE', 'AWS_IAM']).default('NONE'),
  /**
   * AWS_IAM only: the key pairs whose SigV4 signatures are accepted (IAM policies are not evaluated).
   * Default: the AWS documentation's example pair, as AppSync's AWS_IAM mode does.
   */
  credentials: z.array(z.strictObject({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) })).min(1).optional(),
  cors: z
    .strictObject({
      allowOrigins: z.array(z.string()).default([]),
      allowMethods: z.array(z.string()).default([]),
      allowHeaders: z.array(z.string()).default([]),
      exposeHeaders: z.array(z.string()).default([]),
      /** Seconds; the API allows 0 to 86400. */
      maxAge: z.number().int().min(0).max(86_400).optional(),
      allowCredentials: z.boolean().default(false),
    })
    .optional(),
});

export type FunctionUrlOptions = z.infer<typeof functionUrlOptionsSchema>;
export type FunctionUrlOptionsInput = z.input<typeof functionUrlOptionsSchema>;
