import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

/** Handlers and schemas for AppSync tests live under test/fixtures (as `codeUri` would). */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * POST with node:http: only the headers given (plus host, content-length and connection) reach the
 * server, so a golden event's `request.headers` does not depend on fetch's defaults.
 */
export function post(url: string, body: string, headers: Record<string, string>, method = 'POST'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
