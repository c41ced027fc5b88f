/* global awslambda */
// POST {"prompt": "..."} -> text/event-stream: the answer token by token as the model writes it, one
// `data: {"text": "..."}` event per piece, then `data: {"done": true, "stopReason", "usage"}`.
// The response-streaming pattern: one handler behind a function URL (RESPONSE_STREAM) and behind a
// REST API route in STREAM mode, unchanged; Lambda's Node.js runtime provides `awslambda`.
//
//   MODEL_ID   the model or inference profile (default Claude 3 Haiku)
//   FILLER_KB  pad every event with this many KB of spaces (default 0): a stream faster than the 2 MB/s
//              AWS allows after the first 6 MB (function URL) or 10 MB (REST), to show the cap
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';

const MODEL_ID = process.env.MODEL_ID ?? 'anthropic.claude-3-haiku-20240307-v1:0';
const FILLER = ' '.repeat(Number(process.env.FILLER_KB ?? 0) * 1024);
const bedrock = new BedrockRuntimeClient({});

function readPrompt(event) {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    const parsed = JSON.parse(text);
    return typeof parsed.prompt === 'string' && parsed.prompt ? parsed.prompt : undefined;
  } catch {
    return undefined;
  }
}

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const prompt = readPrompt(event);
  if (!prompt) {
    const bad = awslambda.HttpResponseStream.from(responseStream, { statusCode: 400, headers: { 'content-type': 'application/json' } });
    bad.end(JSON.stringify({ error: 'Send a JSON body like {"prompt": "Hello"}.' }));
    return;
  }
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
  const response = await bedrock.send(
    new ConverseStreamCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: prompt }] }], inferenceConfig: { maxTokens: 512 } }),
  );
  let stopReason;
  let usage;
  for await (const chunk of response.stream) {
    const text = chunk.contentBlockDelta?.delta?.text;
    // One event per piece, written as it arrives: nothing is held back to batch.
    if (text) stream.write(`data: ${JSON.stringify({ text })}${FILLER}\n\n`);
    if (chunk.messageStop) stopReason = chunk.messageStop.stopReason;
    if (chunk.metadata) usage = chunk.metadata.usage;
  }
  stream.write(`data: ${JSON.stringify({ done: true, stopReason, usage })}\n\n`);
  stream.end();
});
