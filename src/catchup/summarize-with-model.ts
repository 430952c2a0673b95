import type { ChatModel, TokenUsage } from '../model/chat-model.js';
import type { Prompts } from '../prompts/load-prompts.js';
import { escapeData } from '../answer/build-context.js';
import { estimateTokens } from '../text/estimate-tokens.js';
import { truncateText } from '../text/truncate-text.js';
import { carryCitations, createSourceNumbering, type CatchUpExchange } from './catch-up.js';
import type { AnswerSource } from '../answer/answer-types.js';

/** A catch-up written by the model: one summary per chunk of the thread, citations re-checked. */
export interface ModelCatchUp {
  text: string;
  sources: AnswerSource[];
  exchanges: number;
  /** How many model calls (chunks) it took. */
  chunks: number;
  usage: TokenUsage;
}

const SUMMARY_MAX_TOKENS = 300;

/** One exchange as prompt text, its citations already numbered thread-wide. */
function exchangeText(exchange: CatchUpExchange, numbering: ReturnType<typeof createSourceNumbering>, maxChars: number): string {
  const answer = truncateText(carryCitations(exchange.answer, exchange.sources, numbering), maxChars);
  return `Q (${escapeData(exchange.author)}): ${escapeData(exchange.question.replace(/\s+/g, ' ').trim())}\nA: ${escapeData(answer)}`;
}

/** Exchanges grouped in order into chunks of at most `budgetTokens` each (one exchange at least). */
export function chunkByTokens(texts: readonly string[], budgetTokens: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let tokens = 0;
  for (const text of texts) {
    const size = estimateTokens(text);
    if (current.length > 0 && tokens + size > budgetTokens) {
      chunks.push(current);
      current = [];
      tokens = 0;
    }
    current.push(text);
    tokens += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * The thread summarised by the model in chunks of at most `historyTokenBudget` tokens (one call per
 * chunk, oldest first); markers to numbers that are not the thread's sources are removed.
 */
export async function catchUpWithModel(
  deps: { model: ChatModel; prompts: Prompts; historyTokenBudget: number },
  exchanges: readonly CatchUpExchange[],
): Promise<ModelCatchUp> {
  const numbering = createSourceNumbering();
  const budget = Math.max(deps.historyTokenBudget, 200);
  const texts = exchanges.map((exchange) => exchangeText(exchange, numbering, budget * 3));
  const sources = numbering.sources;
  const usage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  const parts: string[] = [];
  const chunks = chunkByTokens(texts, budget);
  for (const chunk of chunks) {
    const prompt = deps.prompts.render('catchup', { exchanges: chunk.join('\n\n') });
    const completion = await deps.model.complete([{ role: 'user', content: prompt }], { maxTokens: SUMMARY_MAX_TOKENS, temperature: 0 });
    if (completion.usage) for (const key of ['promptTokens', 'completionTokens', 'totalTokens'] as const) usage[key] += completion.usage[key];
    parts.push(completion.text.replace(/\[(\d{1,3})\]/g, (marker, n: string) => (Number(n) >= 1 && Number(n) <= sources.length ? marker : '')).trim());
  }
  return { text: parts.filter(Boolean).join('\n\n'), sources, exchanges: exchanges.length, chunks: chunks.length, usage };
}
