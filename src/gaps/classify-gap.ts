import type { AnswerResult } from '../answer/answer-types.js';
import type { GapReason } from '../state/gap-store.js';

/**
 * Whether an answer shows a gap in the corpus: `refused` when nothing relevant was found (refusals
 * of prompt/secret requests list no nearest papers and are not gaps), `low-evidence` when an answer
 * was written but cites no source. Undefined otherwise.
 */
export function gapReason(result: Pick<AnswerResult, 'refused' | 'sources' | 'nearest'>): GapReason | undefined {
  if (result.refused) return result.nearest !== undefined ? 'refused' : undefined;
  return result.sources.length === 0 ? 'low-evidence' : undefined;
}
