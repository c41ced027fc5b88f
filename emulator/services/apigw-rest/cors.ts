import { parseRouteKey } from '../apigw-common/routes.ts';
import type { RestApiOptions } from './options.ts';

/**
 * CORS for REST APIs (reference §2.9) is nothing but an extra `OPTIONS` method with a MOCK
 * integration on each resource, which is what the console's "Enable CORS" creates. With `cors` set the
 * emulator adds that method to every configured resource that has no OPTIONS route of its own; it
 * answers 200, `Content-Type: application/json`, an empty body and the three headers below, and is
 * throttled like any method. It carries no authorizer and no API key requirement, as the console
 * creates it. Nothing else gets CORS headers: proxy responses carry what the function returns, and
 * gateway error responses carry none (browsers then report a CORS error), as on AWS.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
 */

const ANY_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

export interface PreflightRoute {
  /** `OPTIONS /resource` */
  key: string;
  headers: Array<[string, string]>;
}

export function preflightRoutes(options: RestApiOptions): PreflightRoute[] {
  const cors = options.cors;
  if (!cors) return [];
  const methodsByResource = new Map<string, Set<string>>();
  for (const key of Object.keys(options.routes)) {
    const parsed = parseRouteKey(key);
    if (!parsed) continue;
    const set = methodsByResource.get(parsed.resource) ?? new Set<string>();
    for (const m of parsed.method === 'ANY' ? ANY_METHODS : [parsed.method]) set.add(m);
    methodsByResource.set(parsed.resource, set);
  }
  const out: PreflightRoute[] = [];
  for (const [resource, methods] of methodsByResource) {
    if (options.routes[`OPTIONS ${resource}`] !== undefined) continue;
    methods.add('OPTIONS');
    const allowMethods = cors.allowMethods ?? [...methods].sort();
    out.push({
      key: `OPTIONS ${resource}`,
      headers: [
        ['Content-Type', 'application/json'],
        ['Access-Control-Allow-Headers', cors.allowHeaders.join(',')],
        ['Access-Control-Allow-Methods', allowMethods.join(',')],
        ['Access-Control-Allow-Origin', cors.allowOrigin],
      ],
    });
  }
  return out;
}
