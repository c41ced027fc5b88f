import { defineScenario } from '../../emulator/harness/define.ts';
import { ask, CHAT, PATTERN, PROMPT, type Answer, type GraphQLAnswer } from './apis.ts';

export const appsyncAskLambda = defineScenario({
  name: 'appsync-ask-lambda',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'A synchronous mutation whose Lambda resolver calls Bedrock Converse: the whole answer is the field, in one HTTP 200.',
  tags: ['appsync', 'lambda', 'bedrock'],
  async run({ appsync, expect, step }) {
    await step('mutation ask answers with the model\'s text, stopReason and usage', async () => {
      const r = await appsync.graphql(CHAT, { query: ask('ask'), variables: { prompt: PROMPT } });
      expect.status(r, 200);
      const body = expect.json<GraphQLAnswer<{ ask: Answer }>>(r);
      expect.equal(body.errors, undefined, 'errors');
      const answer = expect.defined(body.data?.ask, `Expected data.ask in ${r.bodyText}`);
      expect.ok(answer.text.trim().length > 0, 'Expected a non-empty answer');
      expect.equal(answer.stopReason, 'end_turn', 'stopReason');
      expect.ok((answer.outputTokens ?? 0) > 0, `Expected outputTokens > 0, got ${answer.outputTokens}`);
    });
  },
});

export const appsyncAskDirect = defineScenario({
  name: 'appsync-ask-bedrock-datasource',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'The same answer through the Bedrock runtime data source: an APPSYNC_JS resolver builds a Converse request, no function runs.',
  tags: ['appsync', 'bedrock', 'appsync-js'],
  async run({ appsync, expect, step }) {
    await step('mutation askDirect answers with the model\'s text, stopReason and usage', async () => {
      const r = await appsync.graphql(CHAT, { query: ask('askDirect'), variables: { prompt: PROMPT } });
      expect.status(r, 200);
      const body = expect.json<GraphQLAnswer<{ askDirect: Answer }>>(r);
      expect.equal(body.errors, undefined, 'errors');
      const answer = expect.defined(body.data?.askDirect, `Expected data.askDirect in ${r.bodyText}`);
      expect.ok(answer.text.trim().length > 0, 'Expected a non-empty answer');
      expect.equal(answer.stopReason, 'end_turn', 'stopReason');
      expect.ok((answer.inputTokens ?? 0) > 0, `Expected inputTokens > 0, got ${answer.inputTokens}`);
    });
  },
});
