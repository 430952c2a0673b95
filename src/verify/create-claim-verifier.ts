import type { Paper } from '../corpus/paper.js';
import type { WordSimilarity } from '../embedding/word-neighbours.js';
import type { ChatModel } from '../model/chat-model.js';
import type { Prompts } from '../prompts/load-prompts.js';
import type { ClaimSource, ClaimVerifier } from './claim-types.js';
import { createModelClaimVerifier } from './model-claim-verifier.js';
import { createOfflineClaimScorer, type ClaimScorerTuning } from './score-claim.js';

export interface ClaimVerifierDeps {
  /** A chat model for the batched entailment check; absent → the offline scorer alone. */
  model?: ChatModel | undefined;
  /** Needed with `model` (renders `prompts/verify-claims.md`). */
  prompts?: Pick<Prompts, 'render'> | undefined;
  /** The offline embedder's word vectors (word rarity; soft matching when tuned on). */
  wordSimilarity?: WordSimilarity | undefined;
  tuning?: Partial<ClaimScorerTuning>;
  /** Time limit of the model call before falling back (default 20 s). */
  timeoutMs?: number;
}

/** The verifier the configuration asks for: the model's check with the offline scorer as fallback, or the offline scorer. */
export function createClaimVerifier(deps: ClaimVerifierDeps = {}): ClaimVerifier {
  const offline = createOfflineClaimScorer({ wordSimilarity: deps.wordSimilarity, ...(deps.tuning ? { tuning: deps.tuning } : {}) });
  if (!deps.model) return offline;
  if (!deps.prompts) throw new Error('createClaimVerifier: a model needs the prompts (verify-claims.md)');
  return createModelClaimVerifier({ model: deps.model, prompts: deps.prompts, fallback: offline, ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}) });
}

/** An answer's numbered sources (`{ n, id }`, as in `AnswerResult.sources`) with their papers among `papers`; the others are left out. */
export function claimSourcesOf(sources: readonly { n: number; id: string }[], papers: readonly Paper[]): ClaimSource[] {
  const byId = new Map(papers.map((paper) => [paper.id, paper]));
  return sources.flatMap((s) => {
    const paper = byId.get(s.id);
    return paper ? [{ n: s.n, paper }] : [];
  });
}
