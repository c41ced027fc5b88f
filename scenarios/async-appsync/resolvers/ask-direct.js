// Mutation.askDirect / askDirectSlow: Converse through the Bedrock runtime data source, no function.
// AppSync allows only synchronous Bedrock calls that finish within 10 s. askDirectSlow asks a model
// the example app makes take 12 s, so its answer is the data source's timeout error.
import { util } from '@aws-appsync/utils';
import { converse } from '@aws-appsync/utils/ai';

export function request(ctx) {
  return converse({
    modelId: ctx.info.fieldName === 'askDirectSlow' ? 'mistral.mistral-large-2407-v1:0' : 'anthropic.claude-3-haiku-20240307-v1:0',
    messages: [{ role: 'user', content: [{ text: ctx.args.prompt }] }],
    inferenceConfig: { maxTokens: 512 },
  });
}

export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  const { output, stopReason, usage } = ctx.result;
  return {
    text: output.message.content.map((block) => block.text ?? '').join(''),
    stopReason,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
  };
}
