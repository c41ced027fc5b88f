// REST TOKEN authorizer: "allow" and "deny" get a policy for the whole API; anything else is
// "Unauthorized" (API Gateway's 401). The wildcard resource keeps a cached policy valid on every route.
export const handler = async (event) => {
  const token = event.authorizationToken;
  if (token !== 'allow' && token !== 'deny') throw new Error('Unauthorized');
  const [arnPrefix, stage] = event.methodArn.split('/');
  return {
    principalId: 'workshop-user',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: token === 'allow' ? 'Allow' : 'Deny', Resource: `${arnPrefix}/${stage}/*/*` }],
    },
    context: { tier: 'workshop' },
  };
};
