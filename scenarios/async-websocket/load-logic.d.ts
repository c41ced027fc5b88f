// Types for load-logic.js (plain JavaScript so k6 can run it unchanged).

export interface StreamFigures {
  complete: boolean;
  timedOut: boolean;
  chunks: number;
  ttftMs: number | undefined;
  interChunkMs: number[];
  charsPerSecond: number | undefined;
  totalMs: number | undefined;
  outputTokens: number | undefined;
}

export const PROMPTS: readonly string[];
export function selectWebSocketUrl(text: string, options?: { name?: string; source?: string }): string;
export function buildMessage(iteration: number): string;
export function streamFigures(sentAt: number, frames: ReadonlyArray<{ text: string; at: number }>): StreamFigures;
export function loadOptions(env?: Record<string, string | undefined>): {
  scenarios: { chat: { executor: 'constant-vus'; vus: number; duration: string } };
  thresholds: Record<string, string[]>;
};
