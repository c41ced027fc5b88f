/**
 * The Bedrock runtime contract: behaviour every target must show, written once and run over HTTP/2,
 * HTTP/1.1, msw and (opt-in) real Bedrock by bedrock.contract.test.ts (STYLE.md 10).
 *
 * Adding a case: append a row to CASES. Assert what real Bedrock guarantees too (shapes, orders,
 * invariants such as input + output = total tokens), never the mock's text. Name the operations it
 * calls in `needs.operations`, and a model family in `needs.model` when the row is family specific
 * (InvokeModel bodies): real Bedrock then needs GENAI_OFFLINE_REAL_MODEL_<FAMILY> or skips the row.
 * Rows that only the emulator can run (fault injection) say why in `mockOnly`; rows where the mock
 * does not yet behave like Bedrock say so in `mockGap` and run on real Bedrock only. Emulator config a
 * row needs goes into CONTRACT_BEDROCK_OPTIONS, keyed by a model id of its own so other rows never
 * see it.
 *
 * Running against real Bedrock (a few short calls; cases keep maxTokens at 64 or less):
 *   GENAI_OFFLINE_REAL_BEDROCK=1 AWS_PROFILE=... AWS_REGION=us-east-1 \
 *   GENAI_OFFLINE_REAL_MODEL=amazon.nova-micro-v1:0 npx vitest run test/contract/bedrock
 * Credentials come from the SDK's default chain; the account needs access to the model.
 */
import {
  ConverseCommand,
  ConverseStreamCommand,
  ModelStreamErrorException,
  ThrottlingException,
  ValidationException,
  type BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  type ConverseStreamOutput,
  type TokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { expect } from 'vitest';
import type { BedrockOptionsInput } from '../../../emulator/services/bedrock/options.ts';
import type { Operation } from '../../../emulator/services/bedrock/operation.ts';

/** Model families whose InvokeModel bodies differ (reference 4.5). */
export type ModelFamily = 'anthropic' | 'amazon-nova' | 'amazon-titan' | 'meta-llama';

export interface ContractTarget {
  name: string;
  real: boolean;
  /** A client as the target's users build it; `extra` e.g. `maxAttempts: 1`. Destroyed after the suite. */
  client(extra?: Partial<BedrockRuntimeClientConfig>): BedrockRuntimeClient;
  /** The model to call: the target's default, or one of a family. */
  modelId(family?: ModelFamily): string;
}

export interface ContractCase {
  name: string;
  needs: { operations: Operation[]; model?: ModelFamily };
  /** Only the emulator can run this row; real Bedrock skips it with this reason. */
  mockOnly?: string;
  /** The mock does not behave like Bedrock here yet; emulator targets skip the row with this reason. */
  mockGap?: string;
  run(target: ContractTarget): Promise<void>;
}

/** Model ids the contract's fault rules key on (mock-only rows). */
const THROTTLED_MODEL = 'genai-offline.contract-throttled-v1:0';
const STREAM_ERROR_MODEL = 'genai-offline.contract-stream-error-v1:0';

export const CONTRACT_BEDROCK_OPTIONS: BedrockOptionsInput = {
  faults: [
    { error: 'ThrottlingException', on: { model: THROTTLED_MODEL } },
    { error: 'ModelStreamErrorException', afterChunks: 1, on: { model: STREAM_ERROR_MODEL } },
  ],
};

const STOP_REASONS = ['end_turn', 'max_tokens'];
const ask = (text: string) => [{ role: 'user' as const, content: [{ text }] }];
const converse = (t: ContractTarget, text: string, maxTokens = 64, modelId = t.modelId()) =>
  t.client().send(new ConverseCommand({ modelId, messages: ask(text), inferenceConfig: { maxTokens } }));

/** Total is input + output, plus cache reads and writes where the model reports them. */
function expectUsage(usage: TokenUsage | undefined): void {
  expect(usage!.inputTokens).toBeGreaterThan(0);
  expect(usage!.outputTokens).toBeGreaterThan(0);
  const cached = (usage!.cacheReadInputTokens ?? 0) + (usage!.cacheWriteInputTokens ?? 0);
  expect(usage!.inputTokens! + usage!.outputTokens! + cached).toBe(usage!.totalTokens);
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** Each event's member name (`$unknown` members, which the SDK keeps for future events, are left out). */
const eventNames = (events: ConverseStreamOutput[]) => events.map((e) => Object.keys(e).find((k) => k !== '$unknown') ?? '$unknown');

export const CASES: ContractCase[] = [
  {
    name: 'Converse: an assistant message with text, a stop reason, usage that adds up, metrics and a request id',
    needs: { operations: ['Converse'] },
    async run(t) {
      const out = await converse(t, 'Name one primary colour.');
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.$metadata.requestId).toMatch(/\S/);
      expect(out.output!.message!.role).toBe('assistant');
      expect(out.output!.message!.content!.map((b) => b.text ?? '').join('')).toMatch(/\S/);
      expect(STOP_REASONS).toContain(out.stopReason);
      expectUsage(out.usage);
      expect(out.metrics!.latencyMs).toBeGreaterThanOrEqual(0);
    },
  },
  {
    name: 'ConverseStream: messageStart first, text deltas, contentBlockStop, messageStop, then metadata with usage',
    needs: { operations: ['ConverseStream'] },
    async run(t) {
      const out = await t.client().send(new ConverseStreamCommand({ modelId: t.modelId(), messages: ask('Count to five.'), inferenceConfig: { maxTokens: 64 } }));
      expect(out.$metadata.httpStatusCode).toBe(200);
      const events: ConverseStreamOutput[] = [];
      for await (const event of out.stream!) events.push(event);
      const names = eventNames(events);
      expect(names[0]).toBe('messageStart');
      expect(events[0]!.messageStart!.role).toBe('assistant');
      expect(names.slice(-2)).toEqual(['messageStop', 'metadata']);
      const lastDelta = names.lastIndexOf('contentBlockDelta');
      expect(lastDelta).toBeGreaterThan(0);
      expect(names.indexOf('contentBlockStop', lastDelta)).toBeGreaterThan(lastDelta);
      expect(events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('')).toMatch(/\S/);
      expect(STOP_REASONS).toContain(events.at(-2)!.messageStop!.stopReason);
      expectUsage(events.at(-1)!.metadata!.usage);
    },
  },
  {
    name: 'Converse: maxTokens 1 stops with max_tokens after at most one output token',
    needs: { operations: ['Converse'] },
    async run(t) {
      const out = await converse(t, 'Tell me a long story about a lighthouse.', 1);
      expect(out.stopReason).toBe('max_tokens');
      expect(out.usage!.outputTokens).toBeLessThanOrEqual(1);
    },
  },
  {
    name: 'Converse: empty messages raise ValidationException with status 400',
    needs: { operations: ['Converse'] },
    async run(t) {
      const error = await rejection(t.client().send(new ConverseCommand({ modelId: t.modelId(), messages: [] })));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.$metadata!.httpStatusCode).toBe(400);
    },
  },
  {
    name: 'ConverseStream: a conversation opening with the assistant raises ValidationException with status 400',
    needs: { operations: ['ConverseStream'] },
    async run(t) {
      const error = await rejection(t.client().send(new ConverseStreamCommand({ modelId: t.modelId(), messages: [{ role: 'assistant', content: [{ text: 'Hello.' }] }] })));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.$metadata!.httpStatusCode).toBe(400);
    },
  },
  {
    name: 'Converse: a model id with characters no model id has raises ValidationException with status 400',
    needs: { operations: ['Converse'] },
    async run(t) {
      const error = await rejection(converse(t, 'hi', 64, 'no such model!'));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.$metadata!.httpStatusCode).toBe(400);
    },
  },
  {
    name: 'Converse: a well-formed but unknown model id raises ValidationException "The provided model identifier is invalid."',
    needs: { operations: ['Converse'] },
    mockGap: 'the mock answers any well-formed model id; it needs a table of known model ids',
    async run(t) {
      const error = await rejection(converse(t, 'hi', 64, 'anthropic.no-such-model-v9:0'));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.$metadata!.httpStatusCode).toBe(400);
      expect(error.message).toBe('The provided model identifier is invalid.');
    },
  },
  {
    name: 'Converse: an injected ThrottlingException reaches the client typed, with status 429',
    needs: { operations: ['Converse'] },
    mockOnly: 'fault injection (bedrock.faults) exists only in the emulator',
    async run(t) {
      const error = await rejection(t.client({ maxAttempts: 1 }).send(new ConverseCommand({ modelId: THROTTLED_MODEL, messages: ask('hi') })));
      expect(error).toBeInstanceOf(ThrottlingException);
      expect(error.$metadata!.httpStatusCode).toBe(429);
    },
  },
  {
    name: 'ConverseStream: an injected mid-stream ModelStreamErrorException ends the stream with the typed error',
    needs: { operations: ['ConverseStream'] },
    mockOnly: 'fault injection (bedrock.faults) exists only in the emulator',
    async run(t) {
      const out = await t.client().send(new ConverseStreamCommand({ modelId: STREAM_ERROR_MODEL, messages: ask('hi') }));
      const names: string[] = [];
      const error = await rejection((async () => {
        for await (const event of out.stream!) names.push(...eventNames([event]));
      })());
      expect(error).toBeInstanceOf(ModelStreamErrorException);
      expect(names).toEqual(['messageStart', 'contentBlockDelta']);
    },
  },
];
