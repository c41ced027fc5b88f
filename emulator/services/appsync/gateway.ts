import type { DocumentNode, GraphQLSchema } from 'graphql';
import { pausableTimer } from '../../core/clock.ts';
import type { AwsHttpError } from '../../core/errors.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { InvokeOutcome } from '../lambda-runtime/types.ts';
import { isFailure, type AppSyncAuthorizer } from './auth/authorizer.ts';
import type { Principal } from './auth/identity.ts';
import { executionTimeout, fieldErrorEntry, MalformedHttpRequestException, ResolverError, syntaxErrorEntry, UnauthorizedException, validationErrorEntry, variableErrorEntry, type AppSyncErrorEntry } from './errors.ts';
import type { CodeResolver } from './data-sources/compile.ts';
import { compileDocument } from './documents.ts';
import { executeOperation, type ResolveContext } from './execute.ts';
import { resolverHeaders, type AppSyncLambdaEvent } from './lambda-event.ts';
import type { AppSyncApiOptions, ResolverOptions } from './options.ts';

export interface AppSyncApiIdentity {
  name: string;
  apiId: string;
  apiKey: string;
  /** The API's authorization modes, shared by /graphql, its real-time endpoint and the Events API. */
  auth: AppSyncAuthorizer;
}

/** A GraphQL answer (always HTTP 200): `data` first, then `errors` when there are any, as AppSync orders them. */
export interface GraphQLBody {
  data: unknown;
  errors?: AppSyncErrorEntry[];
}

interface GraphQLRequest {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

/**
 * AppSync's semantics for one POST /graphql: the API key, the GraphQL-over-HTTP body, parsing,
 * validation, then execution with its resolvers under the 30 s request limit. When the limit passes,
 * every field still waiting for a Lambda is null with `ExecutionTimeout`; the Lambdas run on.
 */
export class AppSyncGateway {
  private readonly resolvers: ReadonlyMap<string, ResolverOptions>;

  constructor(
    private readonly api: AppSyncApiIdentity,
    private readonly schema: GraphQLSchema,
    options: AppSyncApiOptions,
    private readonly deps: ServiceDeps,
    /** Told of every operation that produced data (real-time fan-out picks the mutations). */
    private readonly onExecuted: (document: DocumentNode, operationName: string | undefined, data: Record<string, unknown>) => void = () => undefined,
    /** The APPSYNC_JS resolvers (data-sources/compile.ts), by `Type.field`. */
    private readonly code: ReadonlyMap<string, CodeResolver> = new Map(),
  ) {
    this.resolvers = new Map(Object.entries(options.resolvers));
  }

  async handle(rawHeaders: string[], body: Buffer, requestId: string, sourceIp: string): Promise<GraphQLBody | AwsHttpError> {
    const request = decodeBody(body);
    // Credentials first: a 401 wins over a malformed body. A Lambda authorizer sees the operation (empty when unparsable).
    const operation = 'query' in request ? { queryString: request.query, ...(request.operationName === undefined ? {} : { operationName: request.operationName }), variables: request.variables ?? {} } : { queryString: '', variables: {} };
    const verdict = await this.api.auth.authorize({ headers: resolverHeaders(rawHeaders), sourceIp, requestId, operation, signed: { method: 'POST', path: '/graphql', body } });
    if (isFailure(verdict)) return new UnauthorizedException(verdict.reason, verdict.failure);
    if (!('query' in request)) return request;
    const compiled = compileDocument(this.schema, request.query);
    if ('syntaxError' in compiled) return { data: null, errors: [syntaxErrorEntry(compiled.syntaxError)] };
    const { document, invalid } = compiled;
    if (invalid.length > 0) return { data: null, errors: invalid.map((e) => validationErrorEntry(e, document)) };
    return this.run(document, request, rawHeaders, requestId, verdict);
  }

  private async run(document: DocumentNode, request: GraphQLRequest, rawHeaders: string[], requestId: string, principal: Principal): Promise<GraphQLBody> {
    const { deps, api } = this;
    const timeoutMs = deps.limits.appsyncRequestTimeoutMs;
    const waiting = new Set<string>();
    let timedOut = false;
    let expire!: () => void;
    const expired = new Promise<void>((resolve) => (expire = resolve));
    const timer = pausableTimer(deps.clock, timeoutMs, () => {
      timedOut = true;
      deps.trace.record('appsync.execution-timeout', { api: api.name, requestId, fields: [...waiting], timeoutMs });
      deps.trace.record('limit.hit', { limit: 'appsyncRequestTimeoutMs', api: api.name, detail: `request ${requestId} ran ${timeoutMs} ms` });
      expire();
    });
    // Starting an execution environment is the emulator's cost, not emulated time: the budget pauses.
    let initializing = 0;
    const invoke = (field: string, functionName: string, event: AppSyncLambdaEvent): Promise<InvokeOutcome> => {
      if (timedOut) return Promise.reject(executionTimeout());
      waiting.add(field);
      const call = deps.lambda.invoke(functionName, event, {
        onInitStart: () => void (initializing++ === 0 && timer.pause()),
        onInitEnd: () => void (--initializing === 0 && timer.resume()),
      });
      const done = call.then((outcome) => {
        waiting.delete(field);
        if (!timedOut) deps.trace.record('appsync.resolver', { api: api.name, requestId, field, functionName, outcome: outcome.kind === 'success' ? 'success' : 'error' });
        return outcome;
      });
      return Promise.race([done, expired.then(() => Promise.reject(executionTimeout()))]);
    };
    // APPSYNC_JS data sources other than Lambda (Bedrock) wait under the same budget.
    const guard = <T>(field: string, work: Promise<T>): Promise<T> => {
      if (timedOut) return Promise.reject(executionTimeout());
      waiting.add(field);
      const done = work.finally(() => waiting.delete(field));
      return Promise.race([done, expired.then(() => Promise.reject(executionTimeout()))]);
    };
    const denied = (typeName: string, fieldName: string): ResolverError | undefined =>
      this.api.auth.allows(principal, typeName, fieldName) ? undefined : new ResolverError('Unauthorized', `Not Authorized to access ${fieldName} on type ${typeName}`);
    const context: ResolveContext = { headers: resolverHeaders(rawHeaders), variables: request.variables ?? {}, invoke, identity: principal.identity, denied, requestId, guard };
    try {
      const result = await executeOperation(this.schema, this.resolvers, document, request.operationName, request.variables, context, this.code);
      const errors = result.errors ?? [];
      // No data at all: the variables failed coercion before any field ran.
      if (result.data === undefined) return { data: null, errors: errors.map(variableErrorEntry) };
      const body: GraphQLBody = { data: result.data };
      if (errors.length > 0) body.errors = errors.map((e) => fieldErrorEntry(e, this.schema));
      if (result.data !== null) this.onExecuted(document, request.operationName, result.data);
      return body;
    } finally {
      timer.cancel();
    }
  }
}

/** Standard GraphQL over HTTP: `{query, variables?, operationName?, extensions?}`; Amplify sends `variables: null`. */
function decodeBody(body: Buffer): GraphQLRequest | MalformedHttpRequestException {
  const text = body.toString('utf8');
  if (text.trim().length === 0) return new MalformedHttpRequestException('Request body is empty.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new MalformedHttpRequestException('Unable to parse GraphQL query.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return new MalformedHttpRequestException('Unable to parse GraphQL query.');
  const { query, variables, operationName } = value as Record<string, unknown>;
  const variablesOk = variables === undefined || variables === null || (typeof variables === 'object' && !Array.isArray(variables));
  const nameOk = operationName === undefined || operationName === null || typeof operationName === 'string';
  if (typeof query !== 'string' || !variablesOk || !nameOk) return new MalformedHttpRequestException('Unable to parse GraphQL query.');
  const request: GraphQLRequest = { query };
  if (typeof operationName === 'string') request.operationName = operationName;
  if (variables) request.variables = variables as Record<string, unknown>;
  return request;
}
