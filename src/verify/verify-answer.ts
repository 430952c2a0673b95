import type { AnswerResult } from '../answer/answer-types.js';
import { addUsage } from '../answer/generate-answer.js';
import type { Paper } from '../corpus/paper.js';
import { checkClaims, type ClaimCheck } from './check-claims.js';
import type { ClaimVerifier } from './claim-types.js';
import { claimSourcesOf } from './create-claim-verifier.js';

export interface AnswerChecker {
  /** The check of an answer text against its numbered sources (`{ n, id }`); sources not in the corpus are left out. */
  checkAnswer(answer: string, sources: readonly { n: number; id: string }[], options?: { signal?: AbortSignal }): Promise<ClaimCheck>;
  /** The result with its `claimCheck` (and the check's model tokens added to `usage`); refusals and answers without sources unchanged. */
  withClaimCheck(result: AnswerResult, options?: { signal?: AbortSignal }): Promise<AnswerResult>;
}

/** Checks answers' cited sentences with one verifier (built once by the composition root). */
export function createAnswerChecker(verifier: ClaimVerifier, getPaper: (id: string) => Paper | undefined): AnswerChecker {
  const checkAnswer: AnswerChecker['checkAnswer'] = (answer, sources, options = {}) => checkClaims(answer, claimSourcesOf(sources, getPaper), verifier, options);
  return {
    checkAnswer,
    async withClaimCheck(result, options = {}) {
      if (result.refused || result.sources.length === 0) return result;
      const claimCheck = await checkAnswer(result.answer, result.sources, options);
      return { ...result, usage: addUsage(result.usage, claimCheck.usage), claimCheck };
    },
  };
}
