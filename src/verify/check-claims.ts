import type { TokenUsage } from '../model/chat-model.js';
import type { ClaimResult, ClaimSource, ClaimVerifier, VerifierOutcome } from './claim-types.js';
import { claimText, splitCitedSentences } from './split-claims.js';

/** "The abstract does not say." — a sentence saying the sources are silent is not a claim about them. */
const ABSTENTION = /\b(?:do|does|did)\s+not\s+(?:say|mention|state|report|specify|discuss|describe|give)\b|\bnot\s+(?:stated|mentioned|reported|specified|given)\b/i;

/** "2 of 9 cited sentences could not be matched to their sources". */
export interface ClaimSummary {
  /** Sentences with at least one valid citation. */
  cited: number;
  /** Of those, the ones not supported by their cited abstract(s). */
  unsupported: number;
  /** The summary as one line for a footer. */
  line: string;
}

/** The claim check of one answer. */
export interface ClaimCheck {
  /** One result per cited sentence, in answer order (the `--json` `claims` contract). */
  claims: ClaimResult[];
  /** Where each claim lies in the answer (same order as `claims`): for markers after unsupported sentences. */
  spans: { start: number; end: number }[];
  summary: ClaimSummary;
  /** `model` when a language model judged the claims; `offline` for the offline scorer (also after a model fault). */
  verifiedBy: 'offline' | 'model';
  /** Why the model verifier fell back to the offline scorer. */
  fallbackReason?: string;
  /** Tokens of the verifying model call; null when no model was called. */
  usage: TokenUsage | null;
}

/** The marker shown after an unsupported sentence. */
export const UNSUPPORTED_MARKER = '⚠';

export function summarizeClaims(claims: readonly ClaimResult[]): ClaimSummary {
  const cited = claims.length;
  const unsupported = claims.filter((c) => !c.supported).length;
  const noun = cited === 1 ? 'cited sentence' : 'cited sentences';
  const line =
    cited === 0 ? 'No cited sentences to check.'
    : unsupported === 0 ? (cited === 1 ? 'The cited sentence matched its sources.' : `All ${cited} ${noun} matched their sources.`)
    : `${unsupported} of ${cited} ${noun} could not be matched to their sources.`;
  return { cited, unsupported, line };
}

/**
 * Check every cited sentence of an answer against the abstract(s) it cites. `sources` are the numbered
 * sources of the answer (`[n]` → `sources[k].n === n`); citations to other numbers are ignored, and so
 * are sentences that only say a source is silent ("The abstract does not say. [2]").
 */
export async function checkClaims(
  answer: string,
  sources: readonly ClaimSource[],
  verifier: ClaimVerifier,
  options: { signal?: AbortSignal } = {},
): Promise<ClaimCheck> {
  const given = new Set(sources.map((s) => s.n));
  const maxNumber = Math.max(0, ...given);
  const cited = splitCitedSentences(answer, maxNumber)
    .map((sentence) => ({ ...sentence, citations: sentence.citations.filter((n) => given.has(n)) }))
    .filter((sentence) => sentence.citations.length > 0 && !ABSTENTION.test(claimText(sentence.text)));
  const outcome: VerifierOutcome = cited.length ? await verifier.verify(cited, sources, options) : { verdicts: [], verifiedBy: verifier.kind };
  const claims = cited.map((sentence, i): ClaimResult => {
    const verdict = outcome.verdicts[i]!;
    return { text: sentence.text, citations: sentence.citations, supported: verdict.supported, score: verdict.score, evidence: verdict.evidence };
  });
  return {
    claims,
    spans: cited.map(({ start, end }) => ({ start, end })),
    summary: summarizeClaims(claims),
    verifiedBy: outcome.verifiedBy,
    ...(outcome.fallbackReason ? { fallbackReason: outcome.fallbackReason } : {}),
    usage: outcome.usage ?? null,
  };
}

/** The answer with `marker` after each unsupported sentence ("… faster [1]. ⚠ Next …"). */
export function markUnsupportedClaims(answer: string, check: Pick<ClaimCheck, 'claims' | 'spans'>, marker = UNSUPPORTED_MARKER): string {
  let out = answer;
  // From the end, so earlier offsets stay valid.
  for (let i = check.claims.length - 1; i >= 0; i--) {
    if (check.claims[i]!.supported) continue;
    const end = check.spans[i]!.end;
    out = `${out.slice(0, end)} ${marker}${out.slice(end)}`;
  }
  return out;
}
