// $disconnect: best effort, after the socket is gone; API Gateway ignores what it returns. Nothing to
// clean up in a stateless pattern, so it only logs why the connection ended.
export const handler = async (event) => {
  const { connectionId, disconnectStatusCode, disconnectReason } = event.requestContext;
  console.log(`Disconnected ${connectionId}: ${disconnectStatusCode ?? '-'} ${JSON.stringify(disconnectReason ?? '')}`);
  return { statusCode: 200 };
};
