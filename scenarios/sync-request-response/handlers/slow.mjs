// GET /slow: does 31 s of "work", past API Gateway's 29 s (REST) and 30 s (HTTP API) integration
// limits, inside a 60 s function timeout. The gateway answers 504 / 503; this function runs on.
export const handler = async () => {
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 31_000));
  return { statusCode: 200, body: JSON.stringify({ waitedMs: Date.now() - started }) };
};
