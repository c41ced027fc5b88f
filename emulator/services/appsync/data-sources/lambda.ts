import { ResolverError } from '../errors.ts';
import type { DataSource } from './types.ts';
import { isRecord } from './types.ts';

/**
 * AWS_LAMBDA: `{operation: 'Invoke', payload?, invocationType?}` (resolver-reference-lambda-js). The
 * call goes through the request's `invoke`, so the 30 s budget, init pauses and the trace apply. A
 * function error is `ctx.error` with `Lambda:Unhandled` and the thrown message (reference §1.3).
 * `invocationType: 'Event'` does not wait: `ctx.result` is null (AWS does not say what the response
 * handler sees; null is our choice). `BatchInvoke` is not emulated.
 */
export function lambdaDataSource(name: string, functionName: string): DataSource {
  return {
    name,
    type: 'AWS_LAMBDA',
    async call({ field, request, context }) {
      if (!isRecord(request) || request.operation !== 'Invoke') {
        const operation = isRecord(request) ? String(request.operation) : typeof request;
        throw new ResolverError('MappingTemplate', operation === 'BatchInvoke' ? 'genai-offline does not emulate the Lambda BatchInvoke operation yet.' : `Unsupported operation '${operation}' for the Lambda data source ${name}: use Invoke.`);
      }
      const payload = request.payload ?? null;
      if (request.invocationType === 'Event') {
        // Not waited for; a late failure or the request's timeout has nobody to tell.
        void context.invoke(field, functionName, payload).catch(() => undefined);
        return { result: null, traced: 'event' };
      }
      const outcome = await context.invoke(field, functionName, payload);
      if (outcome.kind === 'success') return { result: JSON.parse(outcome.payload) as unknown };
      if (outcome.kind === 'function-error') return { error: { message: outcome.error.errorMessage, type: 'Lambda:Unhandled' } };
      return { error: { message: outcome.error.message, type: `Lambda:${outcome.error.errorType}` } };
    },
  };
}
