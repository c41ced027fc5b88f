// Invoked asynchronously by Mutation.sendMessage's resolver ({conversationId, prompt}): streams the
// model's answer with ConverseStream and publishes every piece through the publishChunk mutation,
// which AppSync fans out to the conversation's onChunk subscribers. The last chunk has done: true.
//
//   GRAPHQL_URL, API_KEY   the API to publish to (the deployment passes its GraphQL URL and a key)
//   MODEL_ID               the model or inference profile (default Claude 3 Haiku)
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';

const MODEL_ID = process.env.MODEL_ID ?? 'anthropic.claude-3-haiku-20240307-v1:0';
const bedrock = new BedrockRuntimeClient({});

const PUBLISH = `mutation Publish($conversationId: ID!, $seq: Int!, $text: String, $done: Boolean!, $stopReason: String) {
  publishChunk(conversationId: $conversationId, seq: $seq, text: $text, done: $done, stopReason: $stopReason) {
    conversationId seq text done stopReason
  }
}`;

async function publish(variables) {
  const response = await fetch(process.env.GRAPHQL_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': process.env.API_KEY },
    body: JSON.stringify({ query: PUBLISH, variables }),
  });
  const body = await response.json();
  if (response.status !== 200 || body.errors) throw new Error(`publishChunk failed: HTTP ${response.status} ${JSON.stringify(body)}`);
}

export const handler = async ({ conversationId, prompt }) => {
  const response = await bedrock.send(
    new ConverseStreamCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: prompt }] }], inferenceConfig: { maxTokens: 512 } }),
  );
  let seq = 0;
  let stopReason;
  for await (const event of response.stream) {
    const text = event.contentBlockDelta?.delta?.text;
    // One publish at a time, so subscribers get the chunks in the model's order.
    if (text) await publish({ conversationId, seq: seq++, text, done: false });
    if (event.messageStop) stopReason = event.messageStop.stopReason;
  }
  await publish({ conversationId, seq, done: true, stopReason });
  return { conversationId, chunks: seq };
};
