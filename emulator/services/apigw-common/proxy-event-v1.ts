/**
 * The Lambda proxy event, payload format 1.0: what a REST API sends, and what an HTTP API sends (with
 * `version: "1.0"`) when a route asks for it. Absent values are `null`, never omitted.
 */
export interface ProxyEventV1 {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: Record<string, unknown>;
  body: string | null;
  isBase64Encoded: boolean;
}
