// HTTP API Lambda authorizer (payload 2.0, simple responses): authorized when the Authorization
// header is "allow". The context reaches the route's event as requestContext.authorizer.lambda.
export const handler = async (event) => ({
  isAuthorized: event.headers?.authorization === 'allow',
  context: { tier: 'workshop' },
});
