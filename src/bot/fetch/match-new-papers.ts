import type { Paperbot } from '../../app/paperbot.js';
import type { Paper } from '../../corpus/paper.js';
import { markdownLink } from '../format-answer.js';
import { asPlainText } from '../safe-markdown.js';
import { truncate } from '../split-text.js';

/** How many of a topic's best search hits are checked against the new papers. */
const MATCH_POOL = 100;
/** A paper's title and one-line summary in a notice are cut to these many characters. */
const LINE_TITLE_CHARS = 150;
const LINE_SUMMARY_CHARS = 160;

/**
 * The papers among `candidateIds` that are about `topic`, best first: the topic's search hits judged
 * relevant — the same check /ask makes before it answers from a paper.
 */
export async function matchNewPapers(paperbot: Pick<Paperbot, 'search'>, topic: string, candidateIds: ReadonlySet<string>): Promise<Paper[]> {
  if (candidateIds.size === 0) return [];
  const response = await paperbot.search(topic, { k: MATCH_POOL });
  return response.hits.filter((hit) => hit.relevant && candidateIds.has(hit.paper.id)).map((hit) => hit.paper);
}

/** A paper's first sentence, as plain text, cut to a line. */
export function oneLineSummary(paper: Paper): string {
  const first = /^(.+?[.!?])(\s|$)/.exec(paper.abstract.trim())?.[1] ?? paper.abstract;
  return asPlainText(truncate(first.replace(/\s+/g, ' '), LINE_SUMMARY_CHARS));
}

/** `• [Title](link) — one-line summary`, safe to post (no disguised links, markdown escaped). */
export function newPaperLine(paper: Paper): string {
  return `• ${markdownLink(truncate(paper.title, LINE_TITLE_CHARS), paper.url)} — ${oneLineSummary(paper)}`;
}
