import { z } from 'zod';

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
  environment: z.record(z.string(), z.string()).default({}),
  /** Reserved concurrency: at most this many invocations at once; 0 throttles every call. */
  reservedConcurrency: z.number().int().min(0).optional(),
  description: z.string().optional(),
});

export type FunctionOptions = z.infer<typeof functionOptionsSchema>;
export type FunctionOptionsInput = z.input<typeof functionOptionsSchema>;
