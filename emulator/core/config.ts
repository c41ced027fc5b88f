import { z } from 'zod';
import { functionOptionsSchema } from '../services/lambda-runtime/options.ts';
import { BUILT_IN_MODELS } from '../services/apigw-rest/models.ts';
import { restApiOptionsSchema } from '../services/apigw-rest/options.ts';
import { httpApiOptionsSchema } from '../services/apigw-http/options.ts';
import { websocketApiOptionsSchema } from '../services/apigw-websocket/options.ts';
import { appsyncApiOptionsSchema } from '../services/appsync/options.ts';
import { bedrockOptionsSchema } from '../services/bedrock/options.ts';
import { functionUrlOptionsSchema } from '../services/function-url/options.ts';
import { EmulatorError } from './errors.ts';
import { LIMIT_NAMES, type LimitName } from './limits.ts';

const nameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'names are 1-64 letters, digits, "-" or "_"');

const limitsSchema = z.strictObject(
  Object.fromEntries(LIMIT_NAMES.map((n) => [n, z.number().min(0).optional()])) as Record<LimitName, z.ZodOptional<z.ZodNumber>>,
);

export const configSchema = z
  .strictObject({
    /** Real seconds per emulated second: 0.01 makes 29 s last 290 ms. */
    timeScale: z.number().positive().max(1000).default(1),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/).default('us-east-1'),
    accountId: z.string().regex(/^\d{12}$/).default('123456789012'),
    host: z.string().default('127.0.0.1'),
    /** First port; each API takes the next one, in config order (REST, then HTTP, then Bedrock, then WebSocket). 0 picks free ports. */
    port: z.number().int().min(0).max(65_535).default(4010),
    limits: limitsSchema.default({}),
    functions: z.record(nameSchema, functionOptionsSchema).default({}),
    restApis: z.record(nameSchema, restApiOptionsSchema).default({}),
    httpApis: z.record(nameSchema, httpApiOptionsSchema).default({}),
    /** Each on its own port after Bedrock's: `ws://host:port/{stage}`, `@connections` on the same port. */
    websocketApis: z.record(nameSchema, websocketApiOptionsSchema).default({}),
    /** AppSync GraphQL APIs, each on its own port after the WebSocket APIs': `http://host:port/graphql`. */
    appsyncApis: z.record(nameSchema, appsyncApiOptionsSchema).default({}),
    /** Lambda function URLs, each on its own port after the AppSync APIs': `http://host:port/`. */
    functionUrls: z.record(nameSchema, functionUrlOptionsSchema).default({}),
    /** The Bedrock runtime mock, on by default: every function's SDK client reaches it. */
    bedrock: bedrockOptionsSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    const known = new Set(Object.keys(config.functions));
    const requireFunction = (name: string, path: Array<string | number>) => {
      if (!known.has(name)) ctx.addIssue({ code: 'custom', path, message: `unknown function "${name}" (declare it under "functions")` });
    };
    for (const [api, rest] of Object.entries(config.restApis)) {
      for (const [key, route] of Object.entries(rest.routes)) {
        const r = typeof route === 'string' ? { function: route } : route;
        requireFunction(r.function, ['restApis', api, 'routes', key]);
        if ('authorizer' in r && r.authorizer && !rest.authorizers[r.authorizer]) {
          ctx.addIssue({ code: 'custom', path: ['restApis', api, 'routes', key, 'authorizer'], message: `unknown authorizer "${r.authorizer}"` });
        }
        for (const [type, model] of Object.entries(('requestModels' in r && r.requestModels) || {})) {
          if (!Object.hasOwn(rest.models, model) && !Object.hasOwn(BUILT_IN_MODELS, model)) {
            ctx.addIssue({ code: 'custom', path: ['restApis', api, 'routes', key, 'requestModels', type], message: `unknown model "${model}" (declare it under "models"; Empty and Error are built in)` });
          }
        }
        // STREAM routes may wait up to 15 minutes without a raised quota; api-model.ts checks that bound.
        const stream = 'responseTransferMode' in r && r.responseTransferMode === 'STREAM';
        const max = rest.integrationTimeoutQuotaMs ?? 29_000;
        if (!stream && 'integrationTimeoutMs' in r && r.integrationTimeoutMs !== undefined && r.integrationTimeoutMs > max) {
          ctx.addIssue({
            code: 'custom',
            path: ['restApis', api, 'routes', key, 'integrationTimeoutMs'],
            message: `must be at most ${max} ms; above 29000 ms set "integrationTimeoutQuotaMs" (AWS's raised quota, Regional or private APIs only)`,
          });
        }
      }
      if (rest.integrationTimeoutQuotaMs !== undefined && rest.endpointType === 'EDGE') {
        ctx.addIssue({ code: 'custom', path: ['restApis', api, 'integrationTimeoutQuotaMs'], message: 'edge-optimized APIs cannot raise the 29 s integration timeout' });
      }
      for (const [name, a] of Object.entries(rest.authorizers)) requireFunction(a.function, ['restApis', api, 'authorizers', name, 'function']);
    }
    for (const [api, ws] of Object.entries(config.websocketApis)) {
      for (const [key, route] of Object.entries(ws.routes)) requireFunction(typeof route === 'string' ? route : route.function, ['websocketApis', api, 'routes', key]);
      for (const [name, a] of Object.entries(ws.authorizers)) requireFunction(a.function, ['websocketApis', api, 'authorizers', name, 'function']);
    }
    for (const [api, appsync] of Object.entries(config.appsyncApis)) {
      for (const [key, resolver] of Object.entries(appsync.resolvers)) if ('function' in resolver) requireFunction(resolver.function, ['appsyncApis', api, 'resolvers', key, 'function']);
      for (const [ns, namespace] of Object.entries(appsync.events?.namespaces ?? {})) {
        for (const handler of ['onPublish', 'onSubscribe'] as const) {
          const handlerConfig = namespace[handler];
          if (handlerConfig) requireFunction(handlerConfig.function, ['appsyncApis', api, 'events', 'namespaces', ns, handler, 'function']);
        }
      }
    }
    for (const [url, functionUrl] of Object.entries(config.functionUrls)) requireFunction(functionUrl.function, ['functionUrls', url, 'function']);
    for (const [api, http] of Object.entries(config.httpApis)) {
      for (const [key, route] of Object.entries(http.routes)) {
        const r = typeof route === 'string' ? { function: route } : route;
        requireFunction(r.function, ['httpApis', api, 'routes', key]);
        if ('authorizer' in r && r.authorizer && !http.authorizers[r.authorizer]) {
          ctx.addIssue({ code: 'custom', path: ['httpApis', api, 'routes', key, 'authorizer'], message: `unknown authorizer "${r.authorizer}"` });
        }
      }
      for (const [name, a] of Object.entries(http.authorizers)) {
        if (a.type === 'REQUEST') requireFunction(a.function, ['httpApis', api, 'authorizers', name, 'function']);
      }
    }
  });

export type EmulatorConfig = z.infer<typeof configSchema>;
export type EmulatorConfigInput = z.input<typeof configSchema>;

/** Types a config file with no runtime effect: `export default defineConfig({ ... })`. */
export function defineConfig(config: EmulatorConfigInput): EmulatorConfigInput {
  return config;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `${i ? '.' : ''}${String(p)}` : `[${JSON.stringify(String(p))}]`)).join('');
}

/**
 * Validates once, at the edge, and reports every problem with its path in one error. Inner code trusts
 * the typed result.
 */
export function validateConfig(input: unknown, source = 'config'): EmulatorConfig {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${formatPath(issue.path)}: ${issue.message}`);
  throw new EmulatorError(
    'ERR_CONFIG_VALIDATION',
    `Failed to validate ${source}: ${lines.length} problem${lines.length === 1 ? '' : 's'}.\n${lines.join('\n')}\nFix the fields above; the README's "Config" section lists every option.`,
  );
}
