// POST /chat {"prompt": "..."} -> {"reply": "..."}: the synchronous request/response pattern.
// Works behind a REST API (payload 1.0) and an HTTP API (payload 2.0) unchanged, as deployed.
// The model answers through Bedrock's Converse API; the client takes its endpoint, region and
// credentials from the environment, as on Lambda.
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';

const MODEL_ID = process.env.MODEL_ID ?? 'anthropic.claude-3-haiku-20240307-v1:0';
// Created once per execution environment, outside the handler, so warm invocations reuse it.
const bedrock = new BedrockRuntimeClient({});

function readPrompt(event) {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    const parsed = JSON.parse(text);
    return typeof parsed.prompt === 'string' ? parsed.prompt : undefined;
  } catch {
    return undefined;
  }
}

export const handler = async (event, context) => {
  const prompt = readPrompt(event);
  if (!prompt) {
    return {
      statusCode: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'Send a JSON body like {"prompt": "Hello"}.' }),
    };
  }
  const result = await bedrock.send(
    new ConverseCommand({
      modelId: MODEL_ID,
      messages: [{ role: 'user', content: [{ text: prompt }] }],
      inferenceConfig: { maxTokens: 512 },
    }),
  );
  const reply = (result.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reply, model: MODEL_ID, usage: result.usage, requestId: context.awsRequestId }),
  };
};
