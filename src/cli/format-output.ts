import type { AnswerResult, AnswerSource } from '../answer/answer-types.js';
import type { SearchResponse } from '../retrieval/search-types.js';
import { markUnsupportedClaims, UNSUPPORTED_MARKER, type ClaimCheck } from '../verify/check-claims.js';

/** The documented JSON line of `paperbot search --json` (field names are a contract). */
export function searchResponseToJson(response: SearchResponse): {
  query: string;
  relevant: boolean;
  results: { id: string; title: string; score: number; url: string }[];
} {
  return {
    query: response.query,
    relevant: response.relevant,
    results: response.hits.map((hit) => ({
      id: hit.paper.id,
      title: hit.paper.title,
      score: Math.round(hit.score * 10_000) / 10_000,
      url: hit.paper.url,
    })),
  };
}

/** The documented JSON of `paperbot ask|compare|summarize --json` (field names are a contract). */
export function answerToJson(result: AnswerResult): Record<string, unknown> {
  const { answer, sources, mode, refused, usage, claimCheck, ...extras } = result;
  return { answer, sources, mode, refused, usage, ...extras, ...(claimCheck ? claimsToJson(claimCheck) : {}) };
}

/**
 * `claims` (contract: `{"text", "citations", "supported", "score", "evidence"}` per cited sentence) and
 * `claimCheck` (extra: counts, who judged, why the model was not used).
 */
function claimsToJson(check: ClaimCheck): Record<string, unknown> {
  const claims = check.claims.map(({ text, citations, supported, score, evidence }) => ({ text, citations, supported, score, evidence }));
  const { cited, unsupported } = check.summary;
  return { claims, claimCheck: { cited, unsupported, verifiedBy: check.verifiedBy, ...(check.fallbackReason ? { fallbackReason: check.fallbackReason } : {}) } };
}

/**
 * The claim-check footer: "⚠ 2 of 9 cited sentences could not be matched to their sources." (or that all
 * matched); `listFlagged` also lists the flagged sentences (when the answer was streamed without markers).
 */
export function formatClaimFooter(check: ClaimCheck, options: { listFlagged: boolean }): string {
  if (check.summary.cited === 0) return '';
  const lines = [check.summary.unsupported > 0 ? `${UNSUPPORTED_MARKER} ${check.summary.line}` : check.summary.line];
  if (options.listFlagged) {
    for (const claim of check.claims) if (!claim.supported) lines.push(`  ${UNSUPPORTED_MARKER} ${claim.text}`);
  }
  if (check.fallbackReason) lines.push(`(Checked offline: the model could not check the claims — ${check.fallbackReason}.)`);
  return lines.join('\n');
}

export function formatSearch(response: SearchResponse): string {
  const lines: string[] = [];
  if (!response.relevant) {
    lines.push(`Nothing in the corpus looks relevant to "${response.query}". The nearest papers:`);
  }
  response.hits.forEach((hit, i) => {
    const mark = response.relevant && !hit.relevant ? '  (weak match)' : '';
    lines.push(`${String(i + 1).padStart(2)}. ${hit.score.toFixed(3)}  ${hit.paper.title}${mark}`);
    lines.push(`    ${hit.paper.url}`);
  });
  if (response.hits.length === 0) lines.push('No papers in the index.');
  return lines.join('\n');
}

export function formatSources(sources: readonly AnswerSource[], heading = 'Sources'): string {
  if (sources.length === 0) return '';
  return [`${heading}:`, ...sources.map((s) => `  [${s.n}] ${s.title}\n      ${s.url}`)].join('\n');
}

/** Everything after the answer text: sources, nearest papers when refused, notes. */
export function formatAnswerTail(result: AnswerResult, options: { streamed?: boolean } = {}): string {
  const parts: string[] = [];
  if (result.sources.length > 0) parts.push(formatSources(result.sources));
  if (result.refused && result.nearest && result.nearest.length > 0) parts.push(formatSources(result.nearest, 'Nearest papers'));
  if (result.removedCitations) parts.push(`(${result.removedCitations} citation(s) to sources that were not given were removed.)`);
  const footer = result.claimCheck ? formatClaimFooter(result.claimCheck, { listFlagged: options.streamed ?? false }) : '';
  if (footer) parts.push(footer);
  return parts.join('\n\n');
}

/** The whole answer: notice, text with a ⚠ after each unsupported cited sentence, sources, notes. */
export function formatAnswer(result: AnswerResult): string {
  const parts: string[] = [];
  if (result.notice) parts.push(`ℹ ${result.notice}`);
  parts.push(result.claimCheck ? markUnsupportedClaims(result.answer, result.claimCheck) : result.answer);
  const tail = formatAnswerTail(result);
  if (tail) parts.push(tail);
  return parts.join('\n\n');
}

/** "1 paper", "2 papers", "1 query", "3 queries". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
