import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { resolveLimits } from '../../../emulator/core/limits.ts';
import { memoryLog } from '../../../emulator/core/log.ts';
import type { ServiceDeps } from '../../../emulator/core/service.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { bedrockDataSource } from '../../../emulator/services/appsync/data-sources/bedrock.ts';
import { lambdaDataSource } from '../../../emulator/services/appsync/data-sources/lambda.ts';
import { noneDataSource } from '../../../emulator/services/appsync/data-sources/none.ts';
import { ResolverError } from '../../../emulator/services/appsync/errors.ts';
import type { ResolveContext } from '../../../emulator/services/appsync/execute.ts';
import type { HttpRequest } from '../../../emulator/core/http.ts';
import { FakeLambda } from '../../support/fake-lambda.ts';

// Data sources in-process: what request objects they accept and what they send on.
const clock = new ManualClock();
const lambda = new FakeLambda(clock, { echo: (event: unknown) => ({ got: event }) });
const deps: ServiceDeps = { clock, trace: new Trace(clock), log: memoryLog(), limits: resolveLimits(), lambda, region: 'us-east-1', accountId: '123456789012' };
const context: ResolveContext = {
  headers: {},
  variables: {},
  requestId: 'req-1',
  invoke: (_key, functionName, event) => lambda.invoke(functionName, event),
  guard: (_key, work) => work,
};

async function rejection(work: () => Promise<unknown>): Promise<ResolverError> {
  try {
    await work();
  } catch (error) {
    return error as ResolverError;
  }
  throw new Error('expected a rejection');
}

describe('AppSync data sources', () => {
  it('NONE: payload becomes ctx.result unchanged; no payload is null', async () => {
    const none = noneDataSource();
    expect(await none.call({ field: 'Query.a', request: { payload: { a: [1] } }, context })).toEqual({ result: { a: [1] } });
    expect(await none.call({ field: 'Query.a', request: {}, context })).toEqual({ result: null });
  });

  it('AWS_LAMBDA: Invoke sends the payload as the event; other operations fail the field as MappingTemplate', async () => {
    const fn = lambdaDataSource('fn', 'echo');
    expect(await fn.call({ field: 'Query.a', request: { operation: 'Invoke', payload: { x: 1 } }, context })).toEqual({ result: { got: { x: 1 } } });
    const batch = await rejection(() => fn.call({ field: 'Query.a', request: { operation: 'BatchInvoke', payload: [] }, context }));
    expect([batch.errorType, batch.message]).toEqual(['MappingTemplate', 'genai-offline does not emulate the Lambda BatchInvoke operation yet.']);
    const other = await rejection(() => fn.call({ field: 'Query.a', request: { operation: 'Get' }, context }));
    expect(other.message).toBe("Unsupported operation 'Get' for the Lambda data source fn: use Invoke.");
  });

  it('AMAZON_BEDROCK_RUNTIME: Converse and InvokeModel requests become Bedrock HTTP requests (path, headers, body)', async () => {
    const sent: HttpRequest[] = [];
    const ai = bedrockDataSource('ai', 'api', (request) => {
      sent.push(request);
      return Promise.resolve({ status: 200, headers: [], body: '{"ok":true}' });
    }, deps);
    await ai.call({ field: 'Query.a', request: { operation: 'Converse', modelId: 'arn:aws:bedrock:us-east-1::foundation-model/m:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 5 } }, context });
    await ai.call({ field: 'Query.a', request: { operation: 'InvokeModel', modelId: 'm', body: { prompt: 'hi' }, guardrailIdentifier: 'g1', guardrailVersion: '2' }, context });
    expect(sent.map((r) => [r.method, r.rawUrl, r.rawHeaders, r.body.toString()])).toEqual([
      ['POST', '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Fm%3A0/converse', ['content-type', 'application/json', 'accept', 'application/json'], '{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":5}}'],
      ['POST', '/model/m/invoke', ['content-type', 'application/json', 'accept', 'application/json', 'x-amzn-bedrock-guardrailidentifier', 'g1', 'x-amzn-bedrock-guardrailversion', '2'], '{"prompt":"hi"}'],
    ]);
  });

  it('AMAZON_BEDROCK_RUNTIME: an error answer is ctx.error with the SDK\'s error-code rule; a bad request object fails the field', async () => {
    const ai = bedrockDataSource('ai', 'api', () => Promise.resolve({ status: 400, headers: [['x-amzn-errortype', 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/']], body: '{"message":"Malformed input request"}' }), deps);
    expect(await ai.call({ field: 'Query.a', request: { operation: 'Converse', modelId: 'm', messages: [] }, context })).toEqual({ error: { message: 'Malformed input request', type: 'Bedrock:ValidationException' } });
    const bad = await rejection(() => ai.call({ field: 'Query.a', request: { operation: 'ConverseStream', modelId: 'm' }, context }));
    expect([bad.errorType, bad.message]).toEqual(['MappingTemplate', "Unsupported operation 'ConverseStream' for the Bedrock runtime data source ai: use InvokeModel or Converse."]);
    const noModel = await rejection(() => ai.call({ field: 'Query.a', request: { operation: 'InvokeModel', body: {} }, context }));
    expect(noModel.message).toBe('The InvokeModel request for ai needs a modelId.');
  });
});
