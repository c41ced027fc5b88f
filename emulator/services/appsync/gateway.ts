import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { pausableTimer } from '../../core/clock.ts';
import type { AwsHttpError } from '../../core/errors.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { InvokeOutcome } from '../lambda-runtime/types.ts';
import { executionTimeout, fieldErrorEntry, MalformedHttpRequestException, syntaxErrorEntry, UnauthorizedException, validationErrorEntry, variableErrorEntry, type AppSyncErrorEntry } from './errors.ts';
import { executeOperation, type ResolveContext } from './execute.ts';
import { resolverHeaders, type AppSyncLambdaEvent } from './lambda-event.ts';
import type { AppSyncApiOptions, ResolverOptions } from './options.ts';

export interface AppSyncApiIdentity {
  name: string;
  apiId: string;
  apiKey: string;
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
  ) {
    this.resolvers = new Map(Object.entries(options.resolvers));
  }

  async handle(rawHeaders: string[], body: Buffer, requestId: string): Promise<GraphQLBody | AwsHttpError> {
    const key = headerOf(rawHeaders, 'x-api-key');
    if (key !== this.api.apiKey) return new UnauthorizedException(key === undefined ? 'no x-api-key header' : 'wrong API key');
    const request = decodeBody(body);
    if (!('query' in request)) return request;
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      if (error instanceof GraphQLError) return { data: null, errors: [syntaxErrorEntry(error)] };
      throw error;
    }
    const invalid = validate(this.schema, document);
    if (invalid.length > 0) return { data: null, errors: invalid.map((e) => validationErrorEntry(e, document)) };
    return this.run(document, request, rawHeaders, requestId);
  }

  private async run(document: DocumentNode, request: GraphQLRequest, rawHeaders: string[], requestId: string): Promise<GraphQLBody> {
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
    const context: ResolveContext = { headers: resolverHeaders(rawHeaders), variables: request.variables ?? {}, invoke };
    try {
      const result = await executeOperation(this.schema, this.resolvers, document, request.operationName, request.variables, context);
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

function headerOf(rawHeaders: string[], name: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) return rawHeaders[i + 1];
  return undefined;
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
