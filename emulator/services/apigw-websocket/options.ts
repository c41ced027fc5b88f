import { z } from 'zod';
import { stageNameSchema } from '../apigw-common/options.ts';

/** `route.request.header.<name>` or `route.request.querystring.<name>`, as WebSocket APIs spell identity sources. */
export const IDENTITY_SOURCE_PATTERN = /^route\.request\.(header|querystring)\.[^\s.]+$/;

const authorizerSchema = z.strictObject({
  /** WebSocket APIs support Lambda REQUEST authorizers (and IAM) on `$connect` only. */
  type: z.literal('REQUEST'),
  function: z.string(),
  /** Each must be present and non-empty, or the upgrade is refused with 401 without invoking. */
  identitySource: z.array(z.string().regex(IDENTITY_SOURCE_PATTERN, 'identity sources are route.request.header.<name> or route.request.querystring.<name>')).default([]),
});

const routeSchema = z.union([
  z.string(),
  z.strictObject({
    function: z.string(),
    /** Only on `$connect`: AWS authorizes nowhere else. */
    authorizer: z.string().optional(),
    /** A two-way route: the Lambda proxy result's `body` is sent back as a frame (route response `$default`). */
    routeResponse: z.literal(true).optional(),
    /** 50 ms to 29 s, not increasable. */
    integrationTimeoutMs: z.number().int().min(50).max(29_000).optional(),
  }),
]);

export const websocketApiOptionsSchema = z
  .strictObject({
    stage: stageNameSchema.default('dev'),
    /** `$request.body.<path>` or a template of `${request.body.<path>}` parts and static text. */
    routeSelectionExpression: z.string().regex(/\$(request\.body\.|\{request\.body\.)/, 'route selection expressions read $request.body.<path>').default('$request.body.action'),
    /** 50 ms to 29 s (default 29 s), for every route without its own. */
    integrationTimeoutMs: z.number().int().min(50).max(29_000).optional(),
    /** Replaces the account's 500 new connections per second (`limits.websocketNewConnectionsPerSecond`) for this API alone. */
    newConnectionsPerSecond: z.number().positive().optional(),
    authorizers: z.record(z.string(), authorizerSchema).default({}),
    routes: z.record(z.string().regex(/^(\$connect|\$disconnect|\$default|[^$\s][^\s]*)$/, 'route keys are $connect, $disconnect, $default or a custom key'), routeSchema),
  })
  .superRefine((api, ctx) => {
    for (const [key, route] of Object.entries(api.routes)) {
      if (typeof route === 'string') continue;
      if (route.authorizer !== undefined && key !== '$connect') ctx.addIssue({ code: 'custom', path: ['routes', key, 'authorizer'], message: 'authorizers run on $connect only' });
      if (route.authorizer !== undefined && !api.authorizers[route.authorizer]) ctx.addIssue({ code: 'custom', path: ['routes', key, 'authorizer'], message: `unknown authorizer "${route.authorizer}"` });
      if (route.routeResponse && (key === '$connect' || key === '$disconnect')) ctx.addIssue({ code: 'custom', path: ['routes', key, 'routeResponse'], message: `${key} cannot have a route response` });
    }
  });

export type WebSocketApiOptions = z.infer<typeof websocketApiOptionsSchema>;
export type WebSocketApiOptionsInput = z.input<typeof websocketApiOptionsSchema>;
export type WebSocketRoute = WebSocketApiOptions['routes'][string];
