import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { validateConfig } from '../../../emulator/core/config.ts';
import { buildRequest, headerValue, type HttpResponse } from '../../../emulator/core/http.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { faultRulesSchema, type FaultRule } from '../../../emulator/services/bedrock/fault-options.ts';
import { createFaultInjector, type FaultRequest, type InjectedFault } from '../../../emulator/services/bedrock/faults.ts';
import { bedrockService, MODEL_ID } from './helpers.ts';

const converse = (modelId = MODEL_ID): FaultRequest => ({ requestId: 'r', operation: 'Converse', modelId });

/** Which of `count` requests a rule set fails, as 1-based request numbers. */
function failing(rules: FaultRule[], seed: number, count: number, request = converse()): number[] {
  const injector = createFaultInjector(rules, seed, new Trace(new ManualClock()));
  const hits: number[] = [];
  for (let n = 1; n <= count; n++) if (injector.next(request)) hits.push(n);
  return hits;
}

const rules = (input: unknown) => faultRulesSchema.parse(input);
const errorTypeOf = (fault: InjectedFault | undefined) => (fault && 'error' in fault ? fault.error.errorType : undefined);

describe('Bedrock fault rules', () => {
  it('bedrock fault rules: a probability rule fails the same requests for the same seed, others for another seed', () => {
    const sometimes = rules([{ error: 'ServiceUnavailableException', on: { probability: 0.3 } }]);
    const first = failing(sometimes, 7, 200);
    expect(failing(sometimes, 7, 200)).toEqual(first);
    expect(failing(sometimes, 8, 200)).not.toEqual(first);
    expect(first.length).toBeGreaterThan(40);
    expect(first.length).toBeLessThan(80);
    expect(failing(rules([{ error: 'ThrottlingException', on: { probability: 0 } }]), 7, 50)).toEqual([]);
    expect(failing(rules([{ error: 'ThrottlingException', on: { probability: 1 } }]), 7, 5)).toEqual([1, 2, 3, 4, 5]);
  });

  it('bedrock fault rules: a probability rule\'s draws do not depend on the rules after it or on what they match', () => {
    const sometimes = { error: 'ServiceUnavailableException', on: { probability: 0.5 } };
    const alone = failing(rules([sometimes]), 3, 100);
    expect(failing(rules([sometimes, { error: 'AccessDeniedException', on: { model: 'no.such-model' } }]), 3, 100)).toEqual(alone);
    expect(failing(rules([sometimes, { error: 'AccessDeniedException', on: { probability: 0.5 } }]), 3, 100).filter((n) => alone.includes(n))).toEqual(alone);
  });

  it('bedrock fault rules: conditions combine; request numbers count every request; the first matching rule wins', () => {
    const set = rules([
      { error: 'ThrottlingException', on: { requestNumber: [2, 4], model: '/haiku/' } },
      { error: 'InternalServerException', on: { requestNumber: 3 } },
    ]);
    const trace = new Trace(new ManualClock());
    const injector = createFaultInjector(set, 0, trace);
    const seen = [MODEL_ID, MODEL_ID, MODEL_ID, 'amazon.nova-lite-v1:0'].map((m) => errorTypeOf(injector.next(converse(m))));
    expect(seen).toEqual([undefined, 'ThrottlingException', 'InternalServerException', undefined]);
    expect(trace.events('bedrock.fault').map((e) => [e.requestNumber, e.rule, e.status])).toEqual([[2, 0, 429], [3, 1, 500]]);
  });

  it('bedrock fault rules: an afterChunks rule answers ConverseStream with an in-stream fault and never Converse', () => {
    const injector = createFaultInjector(rules([{ error: 'ValidationException', afterChunks: 3 }]), 0, new Trace(new ManualClock()));
    expect(injector.next(converse())).toBeUndefined();
    expect(injector.next({ ...converse(), operation: 'ConverseStream' })).toMatchObject({ kind: 'stream', afterChunks: 3 });
  });

  it('bedrock fault: an injected fault is a JSON body with x-amzn-errortype, the status and the request id (ModelErrorException: its extra fields)', async () => {
    const { service, trace } = bedrockService(new ManualClock(), { faults: [{ error: 'ModelErrorException', message: 'bad weights' }] });
    const res = (await service.handle(buildRequest({ method: 'POST', path: `/model/${MODEL_ID}/converse`, body: '{}' }))) as HttpResponse;
    expect(res.status).toBe(424);
    expect(headerValue(res.headers, 'x-amzn-errortype')).toBe('ModelErrorException');
    expect(headerValue(res.headers, 'content-type')).toBe('application/json');
    expect(JSON.parse(String(res.body))).toEqual({ message: 'bad weights', originalStatusCode: 500, resourceName: MODEL_ID });
    const requestId = headerValue(res.headers, 'x-amzn-requestid');
    expect(trace.events('bedrock.fault')).toEqual([expect.objectContaining({ requestId, requestNumber: 1, errorType: 'ModelErrorException', status: 424 })]);
    expect(trace.events('bedrock.response')).toEqual([expect.objectContaining({ requestId, status: 424, errorType: 'ModelErrorException' })]);
  });

  it('config: every bad fault rule is reported with its path', () => {
    const bad = [
      { error: 'TeapotException' },
      { error: 'AccessDeniedException', afterChunks: 2 },
      { error: 'ModelStreamErrorException' },
      { error: 'ThrottlingException', on: { model: '/(unclosed/', probability: 1.5, requestNumber: [0] } },
      { error: 'ThrottlingException', afterChunks: -1, extra: true },
      { error: 'ThrottlingException', drop: true },
      { drop: true },
      { stall: { seconds: 5 }, afterChunks: 2, message: 'x' },
      { error: 'ThrottlingException', originalStatusCode: 503, resourceName: 'r', originalMessage: 'm' },
      { error: 'ModelErrorException', originalMessage: 'm', originalStatusCode: 99 },
      { stall: { seconds: 0 } },
    ];
    let message = '';
    try {
      validateConfig({ bedrock: { faults: bad } });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const path of [
      'bedrock.faults[0].error',
      'bedrock.faults[1].afterChunks: AccessDeniedException has no in-stream form',
      'bedrock.faults[2].afterChunks: ModelStreamErrorException only occurs mid-stream',
      'bedrock.faults[3].on.model: not a valid regex',
      'bedrock.faults[3].on.probability',
      'bedrock.faults[3].on.requestNumber',
      'bedrock.faults[4].afterChunks',
      'bedrock.faults[4]',
      'bedrock.faults[5]: a fault rule needs exactly one of error, drop or stall',
      'bedrock.faults[6].afterChunks: a drop rule needs afterChunks',
      'bedrock.faults[7].afterChunks: a stall rule takes its afterChunks inside stall',
      'bedrock.faults[7].message: message applies to error rules only',
      'bedrock.faults[8].originalStatusCode: originalStatusCode applies to ModelErrorException and ModelStreamErrorException only',
      'bedrock.faults[8].resourceName: resourceName applies to ModelErrorException only',
      'bedrock.faults[8].originalMessage: originalMessage applies to ModelStreamErrorException only',
      'bedrock.faults[9].originalStatusCode',
      'bedrock.faults[10].stall.seconds',
    ]) {
      expect(message).toContain(path);
    }
  });

  it('config: valid fault rules pass through as written; none by default', () => {
    const faults = [{ error: 'ThrottlingException', on: { requestNumber: 1, model: 'm', probability: 0.5 }, afterChunks: 0, message: 'x' }];
    expect(validateConfig({ bedrock: { faults } }).bedrock.faults).toEqual(faults);
    expect(validateConfig({}).bedrock.faults).toEqual([]);
  });
});
