/** Characters per token in the rough estimate used for prompt budgets and for usage a server does not report. */
export const CHARS_PER_TOKEN = 4;

/** Rough token count of a text: ~4 characters (UTF-16 units) per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
