// POST /chat {"prompt": "..."} -> {"reply": "..."}: the synchronous request/response pattern.
// Works behind a REST API (payload 1.0) and an HTTP API (payload 2.0) unchanged, as deployed.
// The reply is canned until this handler is wired to Bedrock (the Bedrock runtime issue); it says so.

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
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      reply: `You asked: "${prompt}". This is a canned reply; no model was called.`,
      model: 'canned',
      requestId: context.awsRequestId,
    }),
  };
};
