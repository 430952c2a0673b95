import type { AnswerResult, AnswerSource } from '../answer/answer-types.js';
import type { SearchResponse } from '../retrieval/search-types.js';

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
  const { answer, sources, mode, refused, usage, ...extras } = result;
  return { answer, sources, mode, refused, usage, ...extras };
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
export function formatAnswerTail(result: AnswerResult): string {
  const parts: string[] = [];
  if (result.sources.length > 0) parts.push(formatSources(result.sources));
  if (result.refused && result.nearest && result.nearest.length > 0) parts.push(formatSources(result.nearest, 'Nearest papers'));
  if (result.removedCitations) parts.push(`(${result.removedCitations} citation(s) to sources that were not given were removed.)`);
  return parts.join('\n\n');
}

export function formatAnswer(result: AnswerResult): string {
  const parts: string[] = [];
  if (result.notice) parts.push(`ℹ ${result.notice}`);
  parts.push(result.answer);
  const tail = formatAnswerTail(result);
  if (tail) parts.push(tail);
  return parts.join('\n\n');
}

/** "1 paper", "2 papers", "1 query", "3 queries". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
