// WebSocket handlers as they would deploy: $connect refuses ?deny=1, "echo" answers through its route response.
export const connect = async (event) => ({ statusCode: event.queryStringParameters?.deny === '1' ? 403 : 200 });

export const echo = async (event) => ({ statusCode: 200, body: JSON.stringify({ echo: JSON.parse(event.body).text, route: event.requestContext.routeKey }) });

export const disconnect = async () => ({ statusCode: 200 });

// The AWS samples' callback: the @connections endpoint built from the event, no endpoint override.
import { ApiGatewayManagementApiClient, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';

export const shout = async (event) => {
  const { domainName, stage, connectionId } = event.requestContext;
  const client = new ApiGatewayManagementApiClient({ endpoint: `https://${domainName}/${stage}` });
  const text = JSON.parse(event.body).text;
  const info = await client.send(new GetConnectionCommand({ ConnectionId: connectionId }));
  await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify({ shout: text.toUpperCase(), sourceIp: info.Identity?.SourceIp }) }));
  return { statusCode: 200 };
};
