// GET /malformed: a proxy response whose body is an object, not a string. API Gateway rejects it
// (REST 502 "Internal server error", HTTP API 500 "Internal Server Error").
export const handler = async () => ({ statusCode: 200, body: { not: 'a string' } });
