/**
 * Token counts, computed one way everywhere (usage in Converse, ConverseStream metadata, pacing):
 * one token per 4 characters of text, rounded up, as AWS and Anthropic suggest for a rough estimate of
 * English text. Real tokenizers differ per model; tests and budgets need a rule that is simple to
 * predict, not one that matches any one model.
 */
export const CHARS_PER_TOKEN = 4;

export function countTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
