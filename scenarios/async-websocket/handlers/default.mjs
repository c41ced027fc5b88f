// $default: any message whose `action` names no route (or that is not JSON) lands here. The route is
// one-way, so the answer goes back through the @connections API like every other frame.
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';

const clients = new Map();

// One client per callback endpoint, kept across warm invocations.
function managementApi({ domainName, stage }) {
  const endpoint = `https://${domainName}/${stage}`;
  if (!clients.has(endpoint)) clients.set(endpoint, new ApiGatewayManagementApiClient({ endpoint }));
  return clients.get(endpoint);
}

export const handler = async (event) => {
  const { connectionId } = event.requestContext;
  try {
    await managementApi(event.requestContext).send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify({ error: 'unknown action' }) }));
  } catch (error) {
    if (error?.name !== 'GoneException') throw error;
    console.log(`Client ${connectionId} left before the answer`);
  }
  return { statusCode: 200 };
};
