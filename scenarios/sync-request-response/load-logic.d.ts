// Types for load-logic.js (plain JavaScript so k6 can run it unchanged).

export interface LoadEndpoints {
  restApis: Record<string, string>;
  httpApis: Record<string, string>;
}

export interface LoadTarget {
  label: 'rest' | 'http';
  url: string;
}

/** The parts of a k6 response the logic reads. */
export interface LoadResponse {
  status: number;
  body: string | null;
  timings: { duration: number };
}

export const PROMPTS: readonly string[];
export function parseEndpoints(text: string, source?: string): LoadEndpoints;
export function selectTargets(endpoints: LoadEndpoints, options?: { apis?: string; name?: string; path?: string }): LoadTarget[];
export function pickTarget(targets: readonly LoadTarget[], iteration: number): LoadTarget;
export function buildChatRequest(
  iteration: number,
  label: string,
): { body: string; params: { headers: Record<string, string>; tags: Record<string, string> } };
export const CHAT_CHECKS: Record<string, (response: LoadResponse) => boolean>;
export function measure(response: LoadResponse): { durationMs: number; throttled: boolean; replyChars: number | undefined };
export function loadOptions(env?: Record<string, string | undefined>): {
  scenarios: Record<string, Record<string, unknown>>;
  thresholds: Record<string, string[]>;
};
