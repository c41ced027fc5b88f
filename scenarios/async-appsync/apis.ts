import { randomUUID } from 'node:crypto';

/** The pattern folder; every scenario here reports under it. */
export const PATTERN = 'async-appsync';

/** The example app's AppSync API by its name in the endpoints file (`appsyncApis.chat`). */
export const CHAT = 'chat';

/** AppSync's fixed limits the scenarios meet (docs: general/latest/gr/appsync.html; real-time-websocket-client.html). */
export const LIMIT = {
  requestMs: 30_000,
  /** Synchronous Bedrock runtime data source calls (resolver-reference-bedrock-js.html). */
  bedrockDataSourceMs: 10_000,
  subscriptionsPerConnection: 100,
  connectionTimeoutMs: 300_000,
} as const;

export const PROMPT = 'Say hello in five words.';

export const SEND_MESSAGE = `mutation Send($conversationId: ID!, $prompt: String!) {
  sendMessage(conversationId: $conversationId, prompt: $prompt) { conversationId status }
}`;

export const ON_CHUNK = `subscription OnChunk($conversationId: ID!) {
  onChunk(conversationId: $conversationId) { conversationId seq text done stopReason }
}`;

export const ask = (field: 'ask' | 'askSlow' | 'askDirect' | 'askDirectSlow') => `mutation Ask($prompt: String!) {
  ${field}(prompt: $prompt) { text stopReason inputTokens outputTokens }
}`;

export interface Chunk {
  conversationId: string;
  seq: number;
  text: string | null;
  done: boolean;
  stopReason: string | null;
}

export interface Answer {
  text: string;
  stopReason: string;
  inputTokens: number | null;
  outputTokens: number | null;
}

/** One entry of a GraphQL answer's `errors`, as AppSync writes it. */
export interface AppSyncError {
  path?: Array<string | number>;
  data?: unknown;
  errorType: string | null;
  errorInfo?: unknown;
  locations?: Array<{ line: number; column: number; sourceName: string | null }>;
  message: string;
}

export interface GraphQLAnswer<T> {
  data: T | null;
  errors?: AppSyncError[];
}

/** A conversation id of the run's own, so subscribers of other runs on the same API see nothing. */
export function conversationId(label: string): string {
  return `${label}-${randomUUID()}`;
}

/** The example app's copy of the chat API whose `ka` messages stop after the first (offline only). */
export const QUIET = 'quiet';

export const PUBLISH_CHUNK = `mutation Publish($conversationId: ID!, $seq: Int!, $text: String, $done: Boolean!) {
  publishChunk(conversationId: $conversationId, seq: $seq, text: $text, done: $done) { conversationId seq text done stopReason }
}`;
