import type { AnswerResult } from '../answer/answer-types.js';
import { addUsage } from '../answer/generate-answer.js';
import type { LoadPapers } from '../corpus/paper.js';
import { checkClaims, type ClaimCheck } from './check-claims.js';
import type { ClaimVerifier } from './claim-types.js';
import { claimSourcesOf } from './create-claim-verifier.js';

export interface CheckAnswerOptions {
  signal?: AbortSignal;
  /** `extractive` answers are checked by the extractive verifier (offline). */
  mode?: AnswerResult['mode'];
}

export interface AnswerChecker {
  /** The check of an answer text against its numbered sources (`{ n, id }`); sources not in the corpus are left out. `mode`: how the answer was written. */
  checkAnswer(answer: string, sources: readonly { n: number; id: string }[], options?: CheckAnswerOptions): Promise<ClaimCheck>;
  /** The result with its `claimCheck` (and the check's model tokens added to `usage`); refusals and answers without sources unchanged. */
  withClaimCheck(result: AnswerResult, options?: { signal?: AbortSignal }): Promise<AnswerResult>;
}

/**
 * Checks answers' cited sentences with one verifier (built once by the composition root). Extractive
 * answers — sentences quoted from the abstracts, e.g. after a model fault — go to `extractiveVerifier`
 * when given (the offline scorer: no model call for them).
 */
export function createAnswerChecker(verifier: ClaimVerifier, loadPapers: LoadPapers, extractiveVerifier: ClaimVerifier = verifier): AnswerChecker {
  const checkWith = async (by: ClaimVerifier, answer: string, sources: readonly { n: number; id: string }[], options: { signal?: AbortSignal }) =>
    checkClaims(answer, claimSourcesOf(sources, await loadPapers(sources.map((source) => source.id))), by, options);
  return {
    checkAnswer: (answer, sources, options = {}) => checkWith(options.mode === 'extractive' ? extractiveVerifier : verifier, answer, sources, options),
    async withClaimCheck(result, options = {}) {
      if (result.refused || result.sources.length === 0) return result;
      const claimCheck = await checkWith(result.mode === 'extractive' ? extractiveVerifier : verifier, result.answer, result.sources, options);
      return { ...result, usage: addUsage(result.usage, claimCheck.usage), claimCheck };
    },
  };
}
