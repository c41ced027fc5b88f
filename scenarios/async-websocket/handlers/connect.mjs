// $connect: accepts every connection. A client may say who it is with `?name=`; the pattern keeps no
// state, so the name is only logged. Returning a non-2xx statusCode here would refuse the upgrade
// with that HTTP status.
export const handler = async (event) => {
  const { connectionId } = event.requestContext;
  const name = event.queryStringParameters?.name;
  console.log(`Connected ${connectionId}${name ? ` (${name})` : ''}`);
  return { statusCode: 200 };
};
