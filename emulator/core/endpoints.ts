import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { EmulatorError } from './errors.ts';

/**
 * Where each API answers. The emulator writes this file (`--endpoints-file`); a real deployment can be
 * described with the same shape, so one scenario runs against either. Later services add their keys.
 *
 * { "restApis": { "<name>": "<invoke URL incl. stage>" }, "httpApis": { "<name>": "<invoke URL>" },
 *   "bedrock": "<Bedrock runtime endpoint URL>",
 *   "lambda": "<Lambda API endpoint URL: Invoke and InvokeWithResponseStream>",
 *   "websocketApis": { "<name>": { "url": "ws://host:port/<stage>", "connectionsUrl": "http://host:port/<stage>/@connections" } },
 *   "appsyncApis": { "<name>": { "graphqlUrl": "http://host:port/graphql", "realtimeUrl": "ws://host:port/graphql/realtime", "apiKey": "da2-...",
 *     "eventsUrl": "http://host:port/event", "eventsRealtimeUrl": "ws://host:port/event/realtime" } },  (events: when configured)
 *   "functionUrls": { "<name>": "http://host:port/" } }
 */
export const endpointsSchema = z.looseObject({
  restApis: z.record(z.string(), z.url()).default({}),
  httpApis: z.record(z.string(), z.url()).default({}),
  /** Absent when the emulator runs without its Bedrock mock, or a deployment uses real Bedrock. */
  bedrock: z.url().optional(),
  /** Present when the emulator serves WebSocket APIs. */
  websocketApis: z.record(z.string(), z.strictObject({ url: z.url(), connectionsUrl: z.url() })).optional(),
  /** Present when the emulator serves AppSync APIs; `eventsUrl`/`eventsRealtimeUrl` when the API has `events`. */
  appsyncApis: z.record(z.string(), z.looseObject({ graphqlUrl: z.url(), realtimeUrl: z.url().optional(), apiKey: z.string().optional(), eventsUrl: z.url().optional(), eventsRealtimeUrl: z.url().optional() })).optional(),
  /** Present when the emulator serves Lambda function URLs: `{ "<name>": "http://host:port/" }`. */
  functionUrls: z.record(z.string(), z.url()).optional(),
  /** The Lambda API (Invoke, InvokeWithResponseStream) for `@aws-sdk/client-lambda`'s `endpoint`; absent for a real deployment. */
  lambda: z.url().optional(),
});

export type Endpoints = z.infer<typeof endpointsSchema>;

export async function readEndpointsFile(file: string): Promise<Endpoints> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new EmulatorError('ERR_ENDPOINTS_FILE', `Failed to read endpoints file "${file}": ${(cause as Error).message}. Pass a JSON file shaped like the one \`genai-offline start --endpoints-file\` writes.`, { cause });
  }
  const parsed = endpointsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new EmulatorError('ERR_ENDPOINTS_FILE', `Failed to read endpoints file "${file}": ${problems}. Each API maps a name to its invoke URL.`);
  }
  return parsed.data;
}

/** Written atomically (temp file + rename) so a reader never sees half a file. */
export async function writeEndpointsFile(file: string, endpoints: Endpoints): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(endpoints, null, 2)}\n`);
  await rename(tmp, file);
}

/**
 * The endpoints-file field a dotted path names (`appsyncApis.chat.graphqlUrl`, `restApis.chat`,
 * `bedrock`), or undefined when nothing is served there or the field is not a string.
 */
export function endpointAt(endpoints: Endpoints, path: string): string | undefined {
  let value: unknown = endpoints;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'string' ? value : undefined;
}

/** Every `{endpoint}` reference in the functions' environments that names nothing served, as "function KEY -> path". */
export function unresolvedReferences(functions: Record<string, { environment: Record<string, string | { endpoint: string }> }>, endpoints: Endpoints): string[] {
  const missing: string[] = [];
  for (const [name, fn] of Object.entries(functions)) {
    for (const [key, value] of Object.entries(fn.environment)) {
      if (typeof value !== 'string' && endpointAt(endpoints, value.endpoint) === undefined) missing.push(`${name} ${key} -> ${value.endpoint}`);
    }
  }
  return missing;
}

/**
 * The same endpoints in their TLS forms where the emulator's port speaks TLS too (WebSocket and AppSync
 * APIs: `https://`, `wss://`, signed by the local CA), for clients that insist on TLS, as Amplify does
 * for any host that is not AWS's. `start --tls` writes and prints these.
 */
export function tlsEndpoints(endpoints: Endpoints): Endpoints {
  const secure = (url: string) => url.replace(/^http:/, 'https:').replace(/^ws:/, 'wss:');
  const out: Endpoints = { ...endpoints };
  if (endpoints.websocketApis) {
    out.websocketApis = Object.fromEntries(Object.entries(endpoints.websocketApis).map(([name, api]) => [name, { url: secure(api.url), connectionsUrl: secure(api.connectionsUrl) }]));
  }
  if (endpoints.appsyncApis) {
    out.appsyncApis = Object.fromEntries(
      Object.entries(endpoints.appsyncApis).map(([name, api]) => [
        name,
        Object.fromEntries(Object.entries(api).map(([key, value]) => [key, typeof value === 'string' && key.endsWith('Url') ? secure(value) : value])) as typeof api,
      ]),
    );
  }
  return out;
}
