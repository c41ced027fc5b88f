// Mutation.ask(prompt) -> Answer: a direct Lambda resolver (AppSync's whole context is the event) that
// calls Bedrock's Converse and returns the answer as the field's value, within AppSync's 30 s.
//
//   MODEL_ID   the model or inference profile (default Claude 3 Haiku)
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';

const MODEL_ID = process.env.MODEL_ID ?? 'anthropic.claude-3-haiku-20240307-v1:0';
const bedrock = new BedrockRuntimeClient({});

export const handler = async (event) => {
  const { prompt } = event.arguments;
  const result = await bedrock.send(
    new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: prompt }] }], inferenceConfig: { maxTokens: 512 } }),
  );
  return {
    text: (result.output?.message?.content ?? []).map((block) => block.text ?? '').join(''),
    stopReason: result.stopReason,
    inputTokens: result.usage?.inputTokens,
    outputTokens: result.usage?.outputTokens,
  };
};
