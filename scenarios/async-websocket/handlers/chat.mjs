// {"action": "sendmessage", "prompt": "..."} -> frames {"type": "chunk", "text": "..."} as the model
// writes, then {"type": "done", "stopReason": "...", "usage": {...}}: the asynchronous chat pattern over
// API Gateway WebSockets. The route is one-way: API Gateway gives up on the integration after 29 s
// (the client gets an "Endpoint request timed out" frame) but this function runs on and keeps posting
// through the @connections API, so a long answer still arrives in full.
//
//   MODEL_ID   the model or inference profile (default Claude 3 Haiku)
//
// A client that leaves mid-answer makes the next post fail with GoneException: the function stops
// reading the model (which stops the tokens being billed) and ends normally.
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';

const MODEL_ID = process.env.MODEL_ID ?? 'anthropic.claude-3-haiku-20240307-v1:0';
// Created once per execution environment, outside the handler, so warm invocations reuse them.
const bedrock = new BedrockRuntimeClient({});
const clients = new Map();

function managementApi({ domainName, stage }) {
  const endpoint = `https://${domainName}/${stage}`;
  if (!clients.has(endpoint)) clients.set(endpoint, new ApiGatewayManagementApiClient({ endpoint }));
  return clients.get(endpoint);
}

function readPrompt(body) {
  try {
    const parsed = JSON.parse(body ?? '');
    return typeof parsed.prompt === 'string' && parsed.prompt ? parsed.prompt : undefined;
  } catch {
    return undefined;
  }
}

export const handler = async (event) => {
  const { connectionId } = event.requestContext;
  const api = managementApi(event.requestContext);
  const post = (frame) => api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(frame) }));

  const prompt = readPrompt(event.body);
  if (!prompt) {
    await post({ type: 'error', error: 'Send {"action": "sendmessage", "prompt": "Hello"}.' });
    return { statusCode: 400 };
  }

  const model = new AbortController();
  let chunks = 0;
  try {
    const response = await bedrock.send(
      new ConverseStreamCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: prompt }] }], inferenceConfig: { maxTokens: 512 } }),
      { abortSignal: model.signal },
    );
    let stopReason;
    let usage;
    for await (const event of response.stream) {
      const text = event.contentBlockDelta?.delta?.text;
      if (text) {
        // One post at a time, so frames reach the client in the model's order.
        await post({ type: 'chunk', text });
        chunks++;
      }
      if (event.messageStop) stopReason = event.messageStop.stopReason;
      if (event.metadata) usage = event.metadata.usage;
    }
    await post({ type: 'done', stopReason, usage });
  } catch (error) {
    if (error?.name !== 'GoneException') throw error;
    // The client closed (or API Gateway closed it): nobody is left to read the rest.
    model.abort();
    console.log(`Client ${connectionId} left after ${chunks} chunks: stopped streaming (GoneException)`);
  }
  return { statusCode: 200 };
};
