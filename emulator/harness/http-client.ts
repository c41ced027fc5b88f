import type { Endpoints } from '../core/endpoints.ts';
import { EmulatorError } from '../core/errors.ts';
import { ScenarioAssertionError, ScenarioNetworkError } from './errors.ts';
import { realNow } from '../core/clock.ts';
import type { EmulatedTime } from './time.ts';

export type ApiKind = 'restApis' | 'httpApis';

export interface ApiRef {
  kind: ApiKind;
  /** The API's name in the endpoints file (the config's key offline). */
  name: string;
}

export interface ScenarioRequest {
  api: ApiRef;
  method: string;
  /** After the invoke URL (which already carries a REST stage), e.g. `/chat?x=1`. */
  path: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON with `content-type: application/json`. */
  body?: string | object;
}

export interface ScenarioResponse {
  method: string;
  url: string;
  status: number;
  /** Case-insensitive lookup; names iterate lowercased. */
  headers: Headers;
  bodyText: string;
  /** Parses `bodyText`; a body that is not JSON fails the scenario with what it was. */
  json<T = unknown>(): T;
  /** From sending the request to the last body byte. */
  realMs: number;
  /** `realMs` in emulated time (see time.ts); equal to realMs against AWS. */
  emulatedMs: number;
}

export interface HttpClient {
  request(request: ScenarioRequest): Promise<ScenarioResponse>;
  /** The same, to a full URL (AppSync's `graphqlUrl` and `eventsUrl`). */
  requestUrl(url: string, request: Omit<ScenarioRequest, 'api' | 'path'>): Promise<ScenarioResponse>;
  /** The full URL for `path` on `api`, for messages and for clients other than fetch. */
  url(api: ApiRef, path: string): string;
}

export function createHttpClient(options: { endpoints: Endpoints; time: EmulatedTime; signal?: AbortSignal }): HttpClient {
  const { endpoints, time, signal } = options;

  function url(api: ApiRef, path: string): string {
    const base = (endpoints[api.kind] as Record<string, string> | undefined)?.[api.name];
    if (!base) {
      const known = Object.keys(endpoints[api.kind] ?? {});
      throw new EmulatorError(
        'ERR_SCENARIO',
        `Failed to find the ${api.kind} API "${api.name}" in the endpoints: it is not listed. Known ${api.kind}: ${known.length ? known.join(', ') : '(none)'}; add it to the endpoints file.`,
      );
    }
    const suffix = path.startsWith('/') ? path : `/${path}`;
    return `${base.replace(/\/+$/, '')}${suffix}`;
  }

  function request(req: ScenarioRequest): Promise<ScenarioResponse> {
    return requestUrl(url(req.api, req.path), req);
  }

  async function requestUrl(target: string, req: Omit<ScenarioRequest, 'api' | 'path'>): Promise<ScenarioResponse> {
    const method = req.method.toUpperCase();
    const headers: Record<string, string> = { ...req.headers };
    let body: string | undefined;
    if (typeof req.body === 'string') body = req.body;
    else if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const start = realNow();
    let response: Response;
    let bodyText: string;
    try {
      // redirect: 'manual' so the scenario sees what the gateway sent, not where it pointed.
      response = await fetch(target, { method, headers, body, redirect: 'manual', signal });
      bodyText = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new ScenarioNetworkError(`Failed to ${method} ${target}: ${cause}. Check that the endpoint is up and the endpoints file points at it.`, { cause: error });
    }
    const end = realNow();
    let parsed: { value: unknown } | undefined;
    return {
      method,
      url: target,
      status: response.status,
      headers: response.headers,
      bodyText,
      json<T>(): T {
        if (!parsed) {
          try {
            parsed = { value: JSON.parse(bodyText) };
          } catch {
            throw new ScenarioAssertionError(`Expected a JSON body from ${method} ${target}, got ${JSON.stringify(clip(bodyText))}`, 'JSON', bodyText);
          }
        }
        return parsed.value as T;
      },
      realMs: end - start,
      emulatedMs: time.emulatedMs(start, end),
    };
  }

  return { request, requestUrl, url };
}

/** Keeps messages readable when a body is large. */
export function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
