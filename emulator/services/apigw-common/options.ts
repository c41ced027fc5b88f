import { z } from 'zod';

export const throttleSchema = z.strictObject({
  /** Steady-state requests per second. */
  rateLimit: z.number().min(0),
  /** Bucket size. */
  burstLimit: z.number().int().min(0),
});

export type ThrottleOptions = z.infer<typeof throttleSchema>;

export const ROUTE_KEY_PATTERN = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) \/[^\s]*$/;

export const stageNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'stage names are 1-128 letters, digits, "-" or "_"');
