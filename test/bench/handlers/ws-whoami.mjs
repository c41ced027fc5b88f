// A two-way route (route response): tells the client its connection id, so the bench can post to it.
export const handler = async (event) => ({ statusCode: 200, body: event.requestContext.connectionId });
