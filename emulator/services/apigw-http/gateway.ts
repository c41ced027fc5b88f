import { AwsHttpError, EmulatorError } from '../../core/errors.ts';
import type { ServiceDeps } from '../../core/service.ts';
import { invokeIntegration } from '../apigw-common/integration.ts';
import { RouteTable } from '../apigw-common/routes.ts';
import type { RouteAuthorizer } from './authorizers.ts';
import { CorsPolicy } from './cors.ts';
import { InternalServerError, NotFound, RequestEntityTooLarge, ServiceUnavailable, TooManyRequests } from './errors.ts';
import { buildEventV1 } from './event-v1.ts';
import { buildEventV2, type EventContext } from './event.ts';
import type { HttpApiOptions } from './options.ts';
import type { IncomingRequest } from './request.ts';
import { mapResultV1, mapResultV2, type IntegrationResponse } from './result.ts';
import { HttpApiThrottle } from './throttle.ts';

export interface ApiIdentity {
  name: string;
  apiId: string;
  stage: string;
  domainName: string;
}

interface Target {
  key: string;
  functionName: string;
  timeoutMs: number;
  payloadFormatVersion: '1.0' | '2.0';
  authorizer?: RouteAuthorizer;
  scopes?: string[];
}

/**
 * The HTTP API's semantics, one request at a time, after the router has decoded the wire: payload
 * quota, route selection, throttling, CORS preflight, authorization, the Lambda integration under its
 * timeout, and the response mapping. Every failure is an AWS response (an AwsHttpError), never a throw.
 */
export class HttpApiGateway {
  private readonly table: RouteTable<Target>;
  private readonly fallback: Target | undefined;
  private readonly throttle: HttpApiThrottle;
  private readonly cors: CorsPolicy | undefined;

  constructor(
    private readonly api: ApiIdentity,
    private readonly options: HttpApiOptions,
    private readonly deps: ServiceDeps,
    authorizers: Map<string, RouteAuthorizer>,
  ) {
    const targets = new Map<string, Target>();
    for (const [key, route] of Object.entries(options.routes)) targets.set(key, this.target(key, route, authorizers));
    this.fallback = targets.get('$default');
    this.table = new RouteTable([...targets].filter(([key]) => key !== '$default'));
    const throttles = Object.entries(options.routes).map(([key, r]) => [key, typeof r === 'string' ? undefined : r.throttle] as [string, HttpApiOptions['throttle']]);
    this.throttle = new HttpApiThrottle(deps, options.throttle, throttles);
    this.cors = options.cors ? new CorsPolicy(options.cors) : undefined;
  }

  async handle(request: IncomingRequest, requestId: string, receivedAt: number): Promise<IntegrationResponse | AwsHttpError> {
    const { deps, api } = this;
    if (request.body.length > deps.limits.httpPayloadBytes) {
      deps.trace.record('limit.hit', { limit: 'httpPayloadBytes', api: api.name, detail: `request body ${request.body.length} bytes > ${deps.limits.httpPayloadBytes}` });
      return new RequestEntityTooLarge();
    }
    const match = this.table.match(request.method, request.routePath);
    const explicit = match.kind === 'match' ? match : undefined;
    const target = explicit ? explicit.route.target : this.fallback;
    const preflight = this.cors !== undefined && request.method === 'OPTIONS' && !explicit;

    const hit = this.throttle.take(preflight ? undefined : target?.key);
    if (hit) {
      // Named as the REST API names its levels, so one scenario assertion reads both.
      if (hit === 'route') deps.trace.record('limit.hit', { limit: 'apigw.route.throttle', api: api.name, detail: `route "${target!.key}"` });
      else deps.trace.record('limit.hit', { limit: 'apigw.account.throttle', api: api.name, detail: `account: rate ${deps.limits.accountThrottleRate}/s, burst ${deps.limits.accountThrottleBurst}` });
      return new TooManyRequests();
    }
    if (preflight) return this.cors!.preflight(request.headers.origin, request.headers['access-control-request-method']);
    if (!target) return new NotFound(`no route for ${request.method} ${request.routePath}`);

    const context: EventContext = {
      accountId: deps.accountId,
      apiId: api.apiId,
      domainName: api.domainName,
      stage: api.stage,
      requestId,
      timeEpoch: receivedAt,
      routeKey: target.key,
      pathParameters: explicit?.pathParameters,
      stageVariables: this.options.stageVariables,
    };
    if (target.authorizer) {
      const auth = await target.authorizer.authorize(request, context, target.scopes);
      if (auth instanceof AwsHttpError) return auth;
      context.authorizer = auth;
    }
    const response = await this.integrate(target, request, context);
    if (!this.cors || response instanceof AwsHttpError) return response;
    return this.cors.apply(response, request.headers.origin);
  }

  private async integrate(target: Target, request: IncomingRequest, context: EventContext): Promise<IntegrationResponse | AwsHttpError> {
    const v2 = target.payloadFormatVersion === '2.0';
    const event = v2 ? buildEventV2(request, context) : buildEventV1(request, context);
    const result = await invokeIntegration(this.deps, { api: this.api.name, requestId: context.requestId, functionName: target.functionName, timeoutMs: target.timeoutMs }, event);
    if (result.kind === 'timeout') return new ServiceUnavailable(`integration timed out after ${target.timeoutMs} ms`);
    const outcome = result.outcome;
    if (outcome.kind === 'rejected') return new InternalServerError(`Lambda rejected the invoke: ${outcome.error.errorType}`);
    if (outcome.kind === 'function-error') return new InternalServerError(`function error: ${outcome.error.errorType}`);
    const mapped = v2 ? mapResultV2(outcome.payload) : mapResultV1(outcome.payload);
    if (mapped.ok) return mapped.response;
    this.deps.log.debug(`Failed to map the response of function "${target.functionName}" for ${context.routeKey}: ${mapped.reason}. API Gateway answers 500; return the payload ${target.payloadFormatVersion} response shape.`);
    return new InternalServerError(`malformed Lambda response: ${mapped.reason}`);
  }

  private target(key: string, route: HttpApiOptions['routes'][string], authorizers: Map<string, RouteAuthorizer>): Target {
    const r = typeof route === 'string' ? { function: route } : route;
    const target: Target = {
      key,
      functionName: r.function,
      timeoutMs: ('integrationTimeoutMs' in r ? r.integrationTimeoutMs : undefined) ?? this.deps.limits.httpIntegrationTimeoutMs,
      payloadFormatVersion: ('payloadFormatVersion' in r ? r.payloadFormatVersion : undefined) ?? this.options.payloadFormatVersion,
    };
    if ('authorizer' in r && r.authorizer !== undefined) {
      const authorizer = authorizers.get(r.authorizer);
      if (!authorizer) throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to configure httpApis.${this.api.name}.routes["${key}"]: unknown authorizer "${r.authorizer}". Declare it under httpApis.${this.api.name}.authorizers.`);
      target.authorizer = authorizer;
      if (r.authorizationScopes) target.scopes = r.authorizationScopes;
    }
    return target;
  }
}
