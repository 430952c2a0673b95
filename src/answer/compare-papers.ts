import type { Paper } from '../corpus/paper.js';
import { UserFacingError } from '../errors.js';
import { normalizeUserText } from '../text/normalize-input.js';
import type { AnswerDeps } from './answer-deps.js';
import type { AnswerOptions, AnswerResult } from './answer-types.js';
import { extractComparison, OFFLINE_NOTICE } from './answer-extractively.js';
import { buildSourceBlock, escapeData } from './build-context.js';
import { cleanHistory, historyBlock } from './conversation-history.js';
import { extractiveResult, writeWithModel } from './generate-answer.js';
import { loadNamedPapers } from '../corpus/paper-loader.js';

/** Longest accepted paper name. */
export const MAX_NAME_CHARS = 300;

/**
 * Compare two papers named by the user (id, title, fuzzy title or nickname). Both must resolve to real,
 * different papers (`UserFacingError` otherwise: unknown / ambiguous / same paper). With a model: a structured
 * comparison (problem, approach, evidence, differences, when to use which) citing [1] and [2]; offline or on
 * model failure: the two abstracts side by side, key sentences per aspect.
 */
export async function comparePapers(deps: AnswerDeps, paperA: string, paperB: string, options: AnswerOptions = {}): Promise<AnswerResult> {
  const maxChars = Math.min(MAX_NAME_CHARS, deps.config.maxQuestionChars);
  const nameA = normalizeUserText(paperA, { maxChars, what: 'first paper name', multiline: false });
  const nameB = normalizeUserText(paperB, { maxChars, what: 'second paper name', multiline: false });
  const { resolver } = await deps.catalogue();
  const named = [resolver.resolve(nameA), resolver.resolve(nameB)] as const;
  if (named[0].id === named[1].id) {
    throw new UserFacingError('same-paper', `"${nameA}" and "${nameB}" are the same paper (${named[0].title}). Please name two different papers.`);
  }
  const [a, b] = (await loadNamedPapers(deps.loadPapers, named)) as [Paper, Paper];
  const searchQuery = `${a.title} vs ${b.title}`;
  const fallback = () => extractComparison(a, b);
  if (!deps.model) return extractiveResult(fallback(), OFFLINE_NOTICE, { searchQuery });

  const block = buildSourceBlock([a, b], deps.config.contextTokenBudget, { maxShareOf: 2 });
  if (block.sources.length < 2) throw new Error('comparePapers: the context budget cannot hold two abstracts');
  const user = deps.prompts.render('compare', {
    sources: block.text,
    history: historyBlock(cleanHistory(options.history), deps.config.historyTokenBudget),
    question: escapeData(compareRequest(a, b)),
  });
  return writeWithModel(
    deps,
    {
      model: deps.model,
      user,
      given: [{ n: 1, paper: a }, { n: 2, paper: b }],
      listAllSources: true,
      priorUsage: null,
      searchQuery,
      fallback,
    },
    options,
  );
}

function compareRequest(a: Paper, b: Paper): string {
  return `Compare [1] "${a.title}" with [2] "${b.title}".`;
}
