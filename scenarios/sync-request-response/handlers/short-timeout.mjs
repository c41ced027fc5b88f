// GET /short-timeout: needs 10 s but its function timeout is 5 s, so Lambda ends it with
// Sandbox.Timedout long before the gateway's own limit: REST answers 502, HTTP API 500.
export const handler = async () => {
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  return { statusCode: 200, body: 'too late' };
};
