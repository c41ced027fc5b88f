import { describe, expect, it } from 'vitest';
import { ManualClock, MANUAL_CLOCK_START } from '../../../emulator/core/clock.ts';
import { EarlyReturnSignal, NotEmulatedError, UnauthorizedSignal, UtilErrorSignal } from '../../../emulator/services/appsync/js/signals.ts';
import { formatTime } from '../../../emulator/services/appsync/js/time-format.ts';
import { createUtils, type Invocation } from '../../../emulator/services/appsync/js/util.ts';
import { createAi } from '../../../emulator/services/appsync/js/ai.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the utils are typed as AWS's untyped JS surface */
function utils(clock = new ManualClock()) {
  const slot: { current: Invocation | undefined } = { current: undefined };
  const modules = createUtils(clock, slot) as { util: any; extensions: any; runtime: any };
  const run = <T>(fn: () => T, subscription = false): { value: T; invocation: Invocation } => {
    const invocation: Invocation = { appended: [], subscription };
    slot.current = invocation;
    try {
      return { value: fn(), invocation };
    } finally {
      slot.current = undefined;
    }
  };
  return { ...modules, clock, run };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('APPSYNC_JS util', () => {
  it('util.time: now* read the emulator clock, not the machine\'s', async () => {
    const { util, clock } = utils();
    expect(util.time.nowISO8601()).toBe('2026-01-01T00:00:00.000Z');
    await clock.advance(90_061_001);
    expect(util.time.nowISO8601()).toBe('2026-01-02T01:01:01.001Z');
    expect(util.time.nowEpochSeconds()).toBe(Math.floor((MANUAL_CLOCK_START + 90_061_001) / 1000));
    expect(util.time.nowEpochMilliSeconds()).toBe(MANUAL_CLOCK_START + 90_061_001);
    expect(util.time.nowFormatted('yyyy-MM-dd HH:mm:ss.SSSZ')).toBe('2026-01-02 01:01:01.001+0000');
    expect(util.time.nowFormatted("EEE, dd MMM yyyy 'at' hh:mm a XXX", 'America/New_York')).toBe('Thu, 01 Jan 2026 at 08:01 PM -05:00');
  });

  it('util.time.nowFormatted: a pattern letter not emulated throws naming it', () => {
    expect(() => formatTime(0, 'yyyy QQ')).toThrow('Failed to run util.time format letter "Q" in "yyyy QQ": genai-offline does not emulate it yet.');
  });

  it('util.error throws the field error with type, data and info; unauthorized and earlyReturn throw their signals', () => {
    const { util, runtime } = utils();
    const error = thrown(() => util.error('Closed', 'Conflict', { id: 1 }, { hint: 'x' })) as UtilErrorSignal;
    expect(error).toBeInstanceOf(UtilErrorSignal);
    expect([error.message, error.errorType, error.data, error.errorInfo]).toEqual(['Closed', 'Conflict', { id: 1 }, { hint: 'x' }]);
    expect((thrown(() => util.error('Bare')) as UtilErrorSignal).errorType).toBeNull();
    expect(thrown(() => util.unauthorized())).toBeInstanceOf(UnauthorizedSignal);
    expect((thrown(() => runtime.earlyReturn({ a: 1 })) as EarlyReturnSignal).value).toEqual({ a: 1 });
  });

  it('util.appendError collects entries for the running handler only', () => {
    const { util, run } = utils();
    const { invocation } = run(() => util.appendError('Partial', 'Warning', { n: 1 }));
    expect(invocation.appended).toEqual([{ message: 'Partial', errorType: 'Warning', data: { n: 1 }, errorInfo: null }]);
    expect(() => util.appendError('outside')).toThrow('util.appendError can only be called inside request or response');
  });

  it('util: null checks, defaults, base64 and URL encoding', () => {
    const { util } = utils();
    expect([util.isNull(null), util.isNull(undefined), util.isNull(0), util.isNull('')]).toEqual([true, true, false, false]);
    expect([util.isNullOrEmpty(''), util.isNullOrEmpty(' '), util.isNullOrBlank(' '), util.isNullOrBlank('a')]).toEqual([true, false, true, false]);
    expect([util.defaultIfNull(null, 'd'), util.defaultIfNull(0, 'd'), util.defaultIfNullOrEmpty('', 'd'), util.defaultIfNullOrBlank('  ', 'd')]).toEqual(['d', 0, 'd', 'd']);
    expect(util.base64Encode('héllo')).toBe('aMOpbGxv');
    expect(util.base64Decode('aMOpbGxv')).toBe('héllo');
    expect(util.urlEncode("a b&c=d/é!'()~*")).toBe('a+b%26c%3Dd%2F%C3%A9%21%27%28%29%7E*');
    expect(util.urlDecode('a+b%26c')).toBe('a b&c');
  });

  it('util.autoId: a v4 UUID each call', () => {
    const { util } = utils();
    const a = util.autoId() as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(util.autoId()).not.toBe(a);
  });

  it('anything not emulated throws a NotEmulatedError naming it, never undefined', () => {
    const { util, extensions } = utils();
    const error = thrown(() => util.dynamodb) as NotEmulatedError;
    expect(error).toBeInstanceOf(NotEmulatedError);
    expect(error.message).toBe('Failed to run util.dynamodb: genai-offline does not emulate it yet. Use another utility or open an issue.');
    expect(() => util.time.parseISO8601ToEpochMilliSeconds).toThrow('util.time.parseISO8601ToEpochMilliSeconds');
    expect(() => extensions.invalidateSubscriptions).toThrow('extensions.invalidateSubscriptions');
    expect(() => util.transform.toDynamoDBFilterExpression).toThrow('util.transform.toDynamoDBFilterExpression');
  });

  it('extensions.setSubscriptionFilter: only in a subscription resolver\'s response', () => {
    const { extensions, run } = utils();
    const filter = { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 1 }] }] };
    expect(run(() => extensions.setSubscriptionFilter(filter), true).invocation.filter).toEqual(filter);
    expect(() => run(() => extensions.setSubscriptionFilter(filter), false)).toThrow('only be used in the response handler of a subscription resolver');
  });

  it('@aws-appsync/utils/ai: converse and invokeModel build the data source request objects', () => {
    const ai = createAi() as { converse(i: object): object; invokeModel(i: object): object };
    expect(ai.converse({ modelId: 'm', messages: [] })).toEqual({ operation: 'Converse', modelId: 'm', messages: [] });
    expect(ai.invokeModel({ modelId: 'm', body: { a: 1 } })).toEqual({ operation: 'InvokeModel', modelId: 'm', body: { a: 1 } });
  });
});
