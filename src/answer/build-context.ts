import type { Paper } from '../corpus/paper.js';
import { CHARS_PER_TOKEN, estimateTokens } from '../text/estimate-tokens.js';
import { splitSentences } from '../text/tokenize.js';
import { cutAtGraphemeBoundary, truncateText } from '../text/truncate-text.js';

/** Escape text placed between our delimiter tags, so it cannot close or open a tag (`</question>` → `&lt;/question&gt;`). */
export function escapeData(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface NumberedSource {
  /** 1-based number the model cites. */
  n: number;
  paper: Paper;
  /** True when the abstract was shortened to fit the budget. */
  trimmed: boolean;
}

export interface SourceBlock {
  /** The numbered sources as prompt text. */
  text: string;
  sources: NumberedSource[];
  /** Estimated tokens of `text` (≤ the budget). */
  tokens: number;
  /** Papers left out for lack of budget. */
  dropped: number;
}

const SEPARATOR = '\n\n';
const MAX_TITLE_CHARS = 300;
/** Below this many tokens left, a further (trimmed) source is not worth adding. */
const MIN_SOURCE_TOKENS = 60;
/** A trimmed abstract shorter than this is not worth giving. */
const MIN_ABSTRACT_CHARS = 80;
/** Escaping can make a trimmed abstract longer than planned: shrink by this factor and retry, a few times. */
const SHRINK_FACTOR = 0.85;
const MAX_FIT_ATTEMPTS = 8;
/** By default no source takes more than a third of the budget. */
const DEFAULT_MAX_SHARE_OF = 3;

/**
 * Number papers `[1]…[n]` in rank order within `budgetTokens`: each source gets at most a share of the budget
 * (so one huge abstract cannot crowd out the rest), abstracts are cut at sentence boundaries to fit, and the
 * lowest-ranked sources are dropped when the budget runs out. The first source is always kept (trimmed if needed).
 */
export function buildSourceBlock(papers: readonly Paper[], budgetTokens: number, options: { maxShareOf?: number } = {}): SourceBlock {
  const shareOf = Math.max(1, Math.min(papers.length, options.maxShareOf ?? DEFAULT_MAX_SHARE_OF));
  const perSourceCap = Math.max(MIN_SOURCE_TOKENS * 2, Math.floor(budgetTokens / shareOf));
  const blocks: string[] = [];
  const sources: NumberedSource[] = [];
  let used = 0;
  for (const paper of papers) {
    const n = sources.length + 1;
    const sep = blocks.length ? estimateTokens(SEPARATOR) : 0;
    const remaining = budgetTokens - used - sep;
    if (remaining < MIN_SOURCE_TOKENS && blocks.length) break;
    const cap = Math.min(perSourceCap, remaining);
    const fitted = fitSource(n, paper, cap);
    if (!fitted) {
      if (blocks.length) break;
      continue;
    }
    blocks.push(fitted.text);
    sources.push({ n, paper, trimmed: fitted.trimmed });
    used += sep + estimateTokens(fitted.text);
  }
  const text = blocks.join(SEPARATOR);
  return { text, sources, tokens: estimateTokens(text), dropped: papers.length - sources.length };
}

function formatSource(n: number, title: string, abstract: string): string {
  return `[${n}] Title: ${escapeData(title)}\nAbstract: ${escapeData(abstract)}`;
}

function fitSource(n: number, paper: Paper, capTokens: number): { text: string; trimmed: boolean } | undefined {
  const title = truncateText(paper.title, MAX_TITLE_CHARS);
  const full = formatSource(n, title, paper.abstract);
  if (estimateTokens(full) <= capTokens) return { text: full, trimmed: false };
  const header = formatSource(n, title, '');
  let room = (capTokens - estimateTokens(header)) * CHARS_PER_TOKEN - 1;
  if (room < MIN_ABSTRACT_CHARS) return undefined;
  // Whole sentences first; a hard cut at a word boundary when even the first sentence is too long.
  for (let attempt = 0; attempt < MAX_FIT_ATTEMPTS && room >= MIN_ABSTRACT_CHARS; attempt++) {
    const text = formatSource(n, title, trimToChars(paper.abstract, room));
    if (estimateTokens(text) <= capTokens) return { text, trimmed: true };
    room = Math.floor(room * SHRINK_FACTOR);
  }
  return undefined;
}

/** The leading sentences of `text` that fit in `maxChars` (with a final "…"), else a cut at a word boundary. */
export function trimToChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let out = '';
  for (const sentence of splitSentences(text)) {
    const next = out ? `${out} ${sentence}` : sentence;
    if (next.length + 2 > maxChars) break;
    out = next;
  }
  if (!out) return truncateText(text, maxChars, { ellipsis: ' …' });
  return cutAtGraphemeBoundary(`${out} …`, maxChars);
}
