import type { HttpApiOptions } from './options.ts';
import type { IntegrationResponse } from './result.ts';

type CorsOptions = NonNullable<HttpApiOptions['cors']>;

/**
 * HTTP API CORS (§3.7). With a CORS configuration API Gateway answers preflight OPTIONS itself, unless
 * a route matches the OPTIONS request explicitly (an `OPTIONS` or `ANY` route, observed: an
 * `ANY /{proxy+}` route behind an authorizer receives preflights and fails them, arpadt.com "Fixing up
 * CORS errors in HTTP API"); `$default` does not take them (our reading of "even if there isn't an
 * OPTIONS route"). On other responses from the integration it drops every `access-control-*` header the
 * function set and adds the configured ones when the request's Origin is allowed.
 *
 * Chosen where AWS is silent: the preflight status is 204 with an empty body; an Origin that is not
 * allowed, or a requested method outside `allowMethods`, gets the 204 without CORS headers (the browser
 * then refuses); origins compare case-insensitively, `*` allows any; gateway-generated errors (401, 403,
 * 404, 429, 5xx) carry no CORS headers, since AWS documents them only for integration responses.
 */
export class CorsPolicy {
  private readonly anyOrigin: boolean;
  private readonly origins: Set<string>;
  private readonly anyMethod: boolean;
  private readonly methods: Set<string>;
  private readonly preflightExtra: Array<[string, string]> = [];
  private readonly responseExtra: Array<[string, string]> = [];

  constructor(private readonly options: CorsOptions) {
    this.anyOrigin = options.allowOrigins.includes('*');
    this.origins = new Set(options.allowOrigins.map((o) => o.toLowerCase()));
    this.anyMethod = options.allowMethods.includes('*');
    this.methods = new Set(options.allowMethods.map((m) => m.toUpperCase()));
    if (options.allowCredentials) this.responseExtra.push(['access-control-allow-credentials', 'true']);
    if (options.exposeHeaders.length > 0) this.responseExtra.push(['access-control-expose-headers', options.exposeHeaders.join(',')]);
    if (options.allowCredentials) this.preflightExtra.push(['access-control-allow-credentials', 'true']);
    if (options.allowMethods.length > 0) this.preflightExtra.push(['access-control-allow-methods', this.anyMethod ? '*' : options.allowMethods.join(',')]);
    if (options.allowHeaders.length > 0) this.preflightExtra.push(['access-control-allow-headers', options.allowHeaders.includes('*') ? '*' : options.allowHeaders.join(',')]);
    if (options.maxAge !== undefined) this.preflightExtra.push(['access-control-max-age', String(options.maxAge)]);
  }

  /** The 204 API Gateway sends for a preflight it answers itself. */
  preflight(origin: string | undefined, requestedMethod: string | undefined): IntegrationResponse {
    const allowOrigin = this.allowOrigin(origin);
    const methodAllowed = requestedMethod === undefined || this.anyMethod || this.methods.has(requestedMethod.toUpperCase());
    if (allowOrigin === undefined || !methodAllowed) return { status: 204, headers: [], body: '' };
    return { status: 204, headers: [['access-control-allow-origin', allowOrigin], ...this.preflightExtra], body: '' };
  }

  /** Replaces the integration's CORS headers with the configured ones. */
  apply(response: IntegrationResponse, origin: string | undefined): IntegrationResponse {
    const headers = response.headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
    const allowOrigin = this.allowOrigin(origin);
    if (allowOrigin !== undefined) headers.push(['access-control-allow-origin', allowOrigin], ...this.responseExtra);
    return { ...response, headers };
  }

  private allowOrigin(origin: string | undefined): string | undefined {
    if (origin === undefined) return undefined;
    if (this.anyOrigin) return this.options.allowCredentials ? origin : '*';
    return this.origins.has(origin.toLowerCase()) ? origin : undefined;
  }
}
