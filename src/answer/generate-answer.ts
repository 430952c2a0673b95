import type { Paper } from '../corpus/paper.js';
import type { ChatMessage, ChatModel, TokenUsage } from '../model/chat-model.js';
import { type ModelFailureKind, ModelUnavailableError } from '../model/chat-model.js';
import type { SearchHit } from '../retrieval/search-types.js';
import type { AnswerDeps } from './answer-deps.js';
import type { AnswerOptions, AnswerResult, AnswerSource } from './answer-types.js';
import { estimateTokens } from '../text/estimate-tokens.js';
import { truncateText } from '../text/truncate-text.js';
import { checkCitations } from './check-citations.js';
import { buildIdf, type CitedPaper, type ExtractiveAnswer, modelFailureNotice, OFFLINE_NOTICE } from './answer-extractively.js';
import { leaksText, SECRET_REFUSAL } from './guard-secrets.js';
import { guardStreamedText } from './guard-streamed-text.js';

/** Longest answer the model may write. */
export const MAX_ANSWER_TOKENS = 900;
/** Low: answers should stick to the sources. */
const ANSWER_TEMPERATURE = 0.2;
/** Longest stretch of user text quoted back in a message ("The corpus has nothing on "…""). */
const MAX_QUOTE_CHARS = 120;

export function toSource(n: number, paper: Paper): AnswerSource {
  return { n, id: paper.id, title: paper.title, url: paper.url };
}

export function addUsage(a: TokenUsage | null, b: TokenUsage | null): TokenUsage | null {
  if (!a) return b;
  if (!b) return a;
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

/** Shorten user text for quoting inside a message (never cutting a character such as an emoji in half). */
export function quote(text: string, max = MAX_QUOTE_CHARS): string {
  return truncateText(text.replace(/\s+/g, ' ').trim(), max, { atWord: false });
}

/** Refusal when a request asks for instructions or secrets (no model call). */
export function secretRefusal(deps: AnswerDeps, searchQuery?: string): AnswerResult {
  return {
    answer: SECRET_REFUSAL,
    sources: [],
    mode: deps.model ? 'llm' : 'extractive',
    refused: true,
    usage: null,
    ...(searchQuery !== undefined ? { searchQuery } : {}),
  };
}

/** How many nearest papers a refusal lists. */
const NEAREST_LISTED = 3;

/**
 * Refusal when the corpus has nothing relevant (no model call). `message` states the refusal; the
 * follow-up sentence matches what is listed: the nearest papers when there are any, else a hint to
 * rephrase (so the text never promises a list that is empty).
 */
export function notRelevant(deps: AnswerDeps, message: string, hits: readonly SearchHit[], usage: TokenUsage | null, searchQuery: string): AnswerResult {
  const nearest = hits.slice(0, NEAREST_LISTED).map((h, i) => toSource(i + 1, h.paper));
  const followUp = nearest.length
    ? 'The nearest papers are listed below, in case one of them helps.'
    : 'Try rephrasing with specific terms — a method, task, dataset or paper name.';
  return {
    answer: `${message} ${followUp}`,
    sources: [],
    mode: deps.model ? 'llm' : 'extractive',
    refused: true,
    usage,
    nearest,
    searchQuery,
  };
}

/** An extractive result (offline, or after a model failure). */
export function extractiveResult(extract: ExtractiveAnswer, notice: string, extras: Partial<AnswerResult> & { usage?: TokenUsage | null }): AnswerResult {
  const { usage, ...rest } = extras;
  return {
    answer: extract.answer,
    sources: extract.cited.map((c) => toSource(c.n, c.paper)),
    mode: 'extractive',
    refused: false,
    usage: usage ?? null,
    notice,
    sourcesGiven: extract.cited.length,
    ...rest,
  };
}

export { OFFLINE_NOTICE };

export interface ModelTask {
  model: ChatModel;
  /** The rendered user prompt (the system prompt is the same for every task). */
  user: string;
  /** The numbered sources given to the model. */
  given: readonly CitedPaper[];
  /** List every given source (compare) instead of only the cited ones. */
  listAllSources?: boolean;
  /** Usage of earlier calls for this answer (condensing a follow-up). */
  priorUsage: TokenUsage | null;
  searchQuery?: string;
  /** The offline answer, used when the model fails. */
  fallback: () => ExtractiveAnswer;
}

/**
 * Ask the model, then check its answer: citations to numbers not given are removed and counted, an answer
 * that echoes the system prompt is replaced by a refusal, and any model error becomes the extractive answer
 * with a notice (an aborted request is re-thrown). Streamed text reaches `options.onToken` through a leak
 * guard (`guardStreamedText`): the last ~15 words are held back until more text arrives, and nothing more is
 * forwarded once the streamed text echoes the system prompt.
 */
export async function writeWithModel(deps: AnswerDeps, task: ModelTask, options: AnswerOptions): Promise<AnswerResult> {
  const system = deps.prompts.render('system', {});
  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: task.user },
  ];
  const estimatedPromptTokens = estimateTokens(system) + estimateTokens(task.user);
  const common = {
    ...(task.searchQuery !== undefined ? { searchQuery: task.searchQuery } : {}),
    sourcesGiven: task.given.length,
  };
  const stream = options.onToken ? guardStreamedText(options.onToken, system, { sourceCount: task.given.length }) : undefined;
  let completion;
  try {
    completion = await task.model.complete(messages, {
      maxTokens: MAX_ANSWER_TOKENS,
      temperature: ANSWER_TEMPERATURE,
      ...(stream ? { onToken: stream.onToken } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const kind = failureKind(error);
    deps.logger?.warn({ err: error, model: task.model.id, kind }, 'model call failed; answering extractively');
    return extractiveResult(task.fallback(), modelFailureNotice(kind), { ...common, usage: task.priorUsage });
  }
  const usage = addUsage(task.priorUsage, completion.usage);
  if (stream?.leaked || leaksText(completion.text, system)) {
    deps.logger?.warn({ model: task.model.id }, 'model answer echoed the system prompt; replaced by a refusal');
    return { ...secretRefusal(deps), usage, estimatedPromptTokens, ...common };
  }
  stream?.finish();
  const checked = checkCitations(completion.text.trim(), task.given.length);
  const byNumber = new Map(task.given.map((g) => [g.n, g.paper]));
  const listed = task.listAllSources ? task.given.map((g) => g.n) : checked.cited;
  return {
    answer: checked.text,
    sources: listed.map((n) => toSource(n, byNumber.get(n)!)),
    mode: 'llm',
    refused: false,
    usage,
    removedCitations: checked.removed,
    estimatedPromptTokens,
    ...common,
  };
}

/** What kind of failure a model call had, for the notice (its message stays in the logs). */
export function failureKind(error: unknown): ModelFailureKind | 'unexpected' {
  return error instanceof ModelUnavailableError ? error.kind : 'unexpected';
}
