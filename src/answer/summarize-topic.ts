import { normalizeUserText } from '../text/normalize-input.js';
import type { AnswerDeps } from './answer-deps.js';
import type { AnswerOptions, AnswerResult } from './answer-types.js';
import { extractSummary, OFFLINE_NOTICE } from './answer-extractively.js';
import { buildSourceBlock, escapeData } from './build-context.js';
import { cleanHistory, historyBlock } from './conversation-history.js';
import { extractiveResult, notRelevant, quote, secretRefusal, writeWithModel } from './generate-answer.js';
import { isSecretRequest } from './guard-secrets.js';

/** How many papers a topic summary retrieves (diverse re-ranking). */
export const SUMMARIZE_K = 12;
export const MAX_TOPIC_CHARS = 300;

/**
 * Summarise what the corpus says on a topic: wider, diverse retrieval; nothing relevant → refused (no model
 * call); with a model: papers grouped into themes, each cited (the prompt asks to cite every source; `sources`
 * lists the cited ones); offline or on model failure: papers grouped by shared terms with a one-sentence gist each.
 */
export async function summarizeTopic(deps: AnswerDeps, topic: string, options: AnswerOptions = {}): Promise<AnswerResult> {
  const t = normalizeUserText(topic, { maxChars: Math.min(MAX_TOPIC_CHARS, deps.config.maxQuestionChars), what: 'topic', multiline: false });
  if (isSecretRequest(t)) return secretRefusal(deps);
  const response = await deps.searcher.search(t, { k: SUMMARIZE_K, diverse: true });
  if (!response.relevant || response.hits.length === 0) {
    return notRelevant(deps, `The corpus has nothing on "${quote(t)}".`, response.hits, null, t);
  }
  const relevant = response.hits.filter((h) => h.relevant).map((h) => h.paper);
  const papers = relevant.length ? relevant : response.hits.slice(0, 3).map((h) => h.paper);
  const { idf } = deps;
  if (!deps.model) return extractiveResult(extractSummary(t, papers, idf), OFFLINE_NOTICE, { searchQuery: t });

  const block = buildSourceBlock(papers, deps.config.contextTokenBudget, { maxShareOf: 6 });
  const user = deps.prompts.render('summarize', {
    sources: block.text,
    history: historyBlock(cleanHistory(options.history), deps.config.historyTokenBudget),
    topic: escapeData(t),
  });
  return writeWithModel(
    deps,
    {
      model: deps.model,
      user,
      given: block.sources.map((s) => ({ n: s.n, paper: s.paper })),
      priorUsage: null,
      searchQuery: t,
      fallback: () => extractSummary(t, block.sources.map((s) => s.paper), idf),
    },
    options,
  );
}
