// POST /chat {"prompt": "..."} -> {"reply": "...", "stopReason": "...", "usage": {...}}: the synchronous
// request/response pattern. Works behind a REST API (payload 1.0) and an HTTP API (payload 2.0)
// unchanged, as deployed. The model answers through Bedrock's Converse API; the client takes its
// endpoint, region and credentials from the environment, as on Lambda.
//
// Configured per function by environment variables, as a deployment would be:
//   MODEL_ID                                 the model or inference profile (default Claude 3 Haiku)
//   GUARDRAIL_ID, GUARDRAIL_VERSION          apply a Bedrock guardrail, with its trace
//   SYSTEM_PROMPT_FILE                       a system prompt shipped with the code (a file next to
//                                            this one: Lambda's 4 KB of variables cannot hold it)
//   CACHE_SYSTEM_PROMPT=true                 ...followed by a cachePoint (prompt caching: usage
//                                            shows cache writes, then reads)
import { readFileSync } from 'node:fs';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';

const MODEL_ID = process.env.MODEL_ID ?? 'anthropic.claude-3-haiku-20240307-v1:0';
const SYSTEM_PROMPT = process.env.SYSTEM_PROMPT_FILE ? readFileSync(new URL(process.env.SYSTEM_PROMPT_FILE, import.meta.url), 'utf8') : undefined;
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

function converseInput(prompt) {
  const input = {
    modelId: MODEL_ID,
    messages: [{ role: 'user', content: [{ text: prompt }] }],
    inferenceConfig: { maxTokens: 512 },
  };
  if (SYSTEM_PROMPT) {
    input.system = [{ text: SYSTEM_PROMPT }];
    if (process.env.CACHE_SYSTEM_PROMPT === 'true') input.system.push({ cachePoint: { type: 'default' } });
  }
  if (process.env.GUARDRAIL_ID) {
    input.guardrailConfig = { guardrailIdentifier: process.env.GUARDRAIL_ID, guardrailVersion: process.env.GUARDRAIL_VERSION ?? 'DRAFT', trace: 'enabled' };
  }
  return input;
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
  // Errors from Bedrock (throttling after the SDK's retries, say) are not caught: the function fails
  // and API Gateway answers the client with its own error, which is what the scenarios show.
  const result = await bedrock.send(new ConverseCommand(converseInput(prompt)));
  const reply = (result.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reply, model: MODEL_ID, stopReason: result.stopReason, usage: result.usage, requestId: context.awsRequestId }),
  };
};
