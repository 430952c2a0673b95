import type { Paper } from '../corpus/paper.js';
import type { CorruptionKind, LabelledClaim } from './claim-set.js';
import { CLAIM_KINDS } from './claim-set.js';
import type { ScoredClaim } from './score-claim.js';

/** How well the "unsupported" flag separates corrupted claims from supported ones. */
export interface ClaimEvaluation {
  claims: number;
  supported: number;
  corrupted: number;
  /** Of the claims flagged unsupported, the share that are corrupted. */
  precision: number;
  /** Of the corrupted claims, the share flagged unsupported. */
  recall: number;
  /** Of the supported claims, the share flagged unsupported. */
  falseFlagRate: number;
  /** Recall per corruption kind: flagged / total. */
  byKind: Record<CorruptionKind, { flagged: number; total: number }>;
  /** Every claim with its verdict, in input order. */
  results: { claim: LabelledClaim; scored: ScoredClaim }[];
}

export type ScoreLabelledClaim = (sentence: string, papers: readonly Paper[]) => ScoredClaim;

/** Score every labelled claim against its cited paper and measure the "unsupported" flag. */
export function evaluateClaims(claims: readonly LabelledClaim[], papersById: ReadonlyMap<string, Paper>, score: ScoreLabelledClaim): ClaimEvaluation {
  const results = claims.map((claim) => {
    const paper = papersById.get(claim.paperId);
    if (!paper) throw new Error(`claim ${claim.id}: unknown paper ${claim.paperId}`);
    return { claim, scored: score(claim.sentence, [paper]) };
  });
  const flagged = results.filter((r) => !r.scored.supported);
  const corrupted = results.filter((r) => !r.claim.supported);
  const supported = results.filter((r) => r.claim.supported);
  const truePositives = flagged.filter((r) => !r.claim.supported).length;
  const byKind = Object.fromEntries(
    CLAIM_KINDS.filter((kind) => kind !== 'paraphrase').map((kind) => {
      const ofKind = corrupted.filter((r) => r.claim.kind === kind);
      return [kind, { flagged: ofKind.filter((r) => !r.scored.supported).length, total: ofKind.length }];
    }),
  ) as ClaimEvaluation['byKind'];
  return {
    claims: results.length,
    supported: supported.length,
    corrupted: corrupted.length,
    precision: flagged.length ? truePositives / flagged.length : 0,
    recall: corrupted.length ? truePositives / corrupted.length : 0,
    falseFlagRate: supported.length ? supported.filter((r) => !r.scored.supported).length / supported.length : 0,
    byKind,
    results,
  };
}
