import type { TokenUsage } from '../model/chat-model.js';
import type { SearchHit } from '../retrieval/search-types.js';
import { normalizeUserText } from '../text/normalize-input.js';
import type { AnswerDeps } from './answer-deps.js';
import type { AnswerOptions, AnswerResult, ConversationTurn } from './answer-types.js';
import { extractAnswer, modelFailureNotice, OFFLINE_NOTICE } from './answer-extractively.js';
import { buildSourceBlock, escapeData } from './build-context.js';
import { cleanCondensedQuery, cleanHistory, condenseByRule, formatHistoryLines, historyBlock } from './conversation-history.js';
import { extractiveResult, failureKind, notRelevant, quote, secretRefusal, writeWithModel } from './generate-answer.js';
import { isSecretRequest } from './guard-secrets.js';

export type { AnswerDeps } from './answer-deps.js';

/** How many hits an answer retrieves. */
export const ASK_K = 8;
/** At least this many sources are given even when fewer hits are flagged relevant. */
const MIN_SOURCES = 3;
/** A standalone search query is short: a line of keywords. */
const CONDENSE_MAX_TOKENS = 80;
/** A condensed query shorter than this is unusable; the rule is used instead. */
const MIN_CONDENSED_QUERY_CHARS = 3;

/**
 * Answer a question from the corpus with cited sources.
 * - input cleaned (`UserFacingError` for empty / too long); requests for instructions or secrets refused without a model call;
 * - follow-ups (`options.history`) condensed into a standalone `searchQuery` (by the model, else by rule);
 * - nothing relevant → `refused: true`, "The corpus has nothing on …", `nearest` papers, no model call;
 * - with a model: numbered sources within `contextTokenBudget`, citations checked (`removedCitations`), tokens streamed to `onToken`;
 * - no model, or the model fails → the extractive answer, labelled by `notice`.
 */
export async function answerQuestion(deps: AnswerDeps, question: string, options: AnswerOptions = {}): Promise<AnswerResult> {
  const q = normalizeUserText(question, { maxChars: deps.config.maxQuestionChars, what: 'question' });
  if (isSecretRequest(q)) return secretRefusal(deps);
  const history = cleanHistory(options.history);

  const condensed = await condenseQuestion(deps, q, history, options);
  const searchQuery = condensed.query;
  if (isSecretRequest(searchQuery)) return secretRefusal(deps, searchQuery);
  const response = await deps.searcher.search(searchQuery, { k: ASK_K });
  if (!response.relevant || response.hits.length === 0) {
    return notRelevant(deps, `The corpus has nothing on "${quote(q)}".`, response.hits, condensed.usage, searchQuery);
  }
  const ranked = pickSources(response.hits);
  const { idf } = deps;
  const fallback = () => extractAnswer(searchQuery, ranked, idf);

  if (!deps.model) return extractiveResult(fallback(), OFFLINE_NOTICE, { searchQuery, usage: condensed.usage });

  const block = buildSourceBlock(ranked, deps.config.contextTokenBudget);
  const user = deps.prompts.render('ask', {
    sources: block.text,
    history: historyBlock(history, deps.config.historyTokenBudget),
    question: escapeData(q),
  });
  return writeWithModel(
    deps,
    {
      model: deps.model,
      user,
      given: block.sources.map((s) => ({ n: s.n, paper: s.paper })),
      priorUsage: condensed.usage,
      searchQuery,
      fallback: () => extractAnswer(searchQuery, block.sources.map((s) => s.paper), idf),
    },
    options,
  );
}

/** Relevant hits, topped up with the next-best ones to a small minimum. */
function pickSources(hits: readonly SearchHit[]) {
  const relevant = hits.filter((h) => h.relevant);
  const chosen = relevant.length >= MIN_SOURCES ? relevant : hits.slice(0, Math.max(MIN_SOURCES, relevant.length));
  return chosen.map((h) => h.paper);
}

/**
 * A standalone search query for a question with history: written by the model with the condense prompt when
 * there is one (falling back to the rule when it fails or returns nothing usable), else by `condenseByRule`.
 */
export async function condenseQuestion(
  deps: AnswerDeps,
  question: string,
  history: readonly ConversationTurn[],
  options: Pick<AnswerOptions, 'signal'> = {},
): Promise<{ query: string; usage: TokenUsage | null; by: 'none' | 'model' | 'rule' }> {
  if (history.length === 0) return { query: question, usage: null, by: 'none' };
  const byRule = async () => condenseByRule(question, history, (await deps.catalogue()).papers);
  if (!deps.model) return { query: await byRule(), usage: null, by: 'rule' };
  const prompt = deps.prompts.render('condense-question', {
    history: formatHistoryLines(history, deps.config.historyTokenBudget) || '(none)',
    question: escapeData(question),
  });
  try {
    const completion = await deps.model.complete([{ role: 'user', content: prompt }], {
      maxTokens: CONDENSE_MAX_TOKENS,
      temperature: 0,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const query = cleanCondensedQuery(completion.text);
    if (query.length >= MIN_CONDENSED_QUERY_CHARS) return { query, usage: completion.usage, by: 'model' };
    return { query: await byRule(), usage: completion.usage, by: 'rule' };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    deps.logger?.warn({ err: error, kind: failureKind(error) }, 'condensing the follow-up failed; using the rule');
    return { query: await byRule(), usage: null, by: 'rule' };
  }
}

export { modelFailureNotice, OFFLINE_NOTICE };
