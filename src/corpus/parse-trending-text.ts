import type { ParsedCorpus, Paper, SkippedRecord } from './paper.js';
import { buildPaper, cleanText } from './paper-identity.js';
import { previewText } from './preview-text.js';
import { MAX_TITLE_CHARS, recordOverLimit } from './record-limits.js';

/** Lines of scraped page chrome (Hugging Face "trending papers" page) that are not records. */
const DEBRIS_LINES = [/^get trending papers in your email inbox/i, /^subscribe$/i];
/** "Subscribe" glued to the start of the first title by the scrape. */
const GLUED_SUBSCRIBE = /^Subscribe(?=[\p{Lu}\p{N}])/u;

/** From this length, a line ending in terminal punctuation (or of two sentences) is an abstract. */
const LONG_PROSE_CHARS = 120;
/** A line of this many sentences is an abstract, however short. */
const ABSTRACT_SENTENCES = 3;
/** Fewest words of a short abstract. */
const SHORT_ABSTRACT_MIN_WORDS = 3;
/** A line ending in a full stop whose longer words are at least this share capitalised is a Title Case title. */
const TITLE_CASE_SHARE = 0.5;
/** Words of at least this length count for Title Case (skips "a", "of", "the", "for"…). */
const TITLE_CASE_MIN_WORD = 4;

/**
 * - `title`: short, not ending in a full stop;
 * - `abstract`: long prose, or several sentences;
 * - `short-prose`: a short line ending in a full stop: a short abstract, or now and then a title.
 */
export type LineKind = 'title' | 'abstract' | 'short-prose';

/** Number of sentence ends (". X", "! X", "? X", or terminal punctuation at the end). */
function countSentences(line: string): number {
  return (line.match(/[.!?](?=\s+[\p{Lu}\p{N}(]|\s*$)/gu) ?? []).length;
}

function isTitleCase(line: string): boolean {
  const words = (line.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? []).filter((word) => word.length >= TITLE_CASE_MIN_WORD);
  return words.length > 0 && words.filter((word) => /^\p{Lu}/u.test(word)).length / words.length >= TITLE_CASE_SHARE;
}

/** Classify one non-blank line (see LineKind). */
export function classifyLine(line: string): LineKind {
  const length = line.length;
  if (length > MAX_TITLE_CHARS) return 'abstract';
  if (length >= LONG_PROSE_CHARS && (/[.!?]$/.test(line) || countSentences(line) >= 2)) return 'abstract';
  if (countSentences(line) >= ABSTRACT_SENTENCES) return 'abstract';
  if (/\.$/.test(line) && line.split(/\s+/).length >= SHORT_ABSTRACT_MIN_WORDS && !isTitleCase(line)) return 'short-prose';
  return 'title';
}

interface Entry {
  line: number;
  text: string;
  kind: LineKind;
}

/** Non-blank, non-debris lines with their 1-based numbers and kinds. */
function classifyLines(text: string): Entry[] {
  const entries: Entry[] = [];
  let inHeader = true;
  for (const [index, raw] of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).entries()) {
    let value = cleanText(raw);
    if (!value || DEBRIS_LINES.some((re) => re.test(value))) continue;
    if (inHeader) {
      value = value.replace(GLUED_SUBSCRIBE, '');
      inHeader = false;
    }
    entries.push({ line: index + 1, text: value, kind: classifyLine(value) });
  }
  return entries;
}

/** What to do at one entry: pair it with the next as title + abstract, or skip entries with a reason. */
type Step = { pair: true } | { pair: false; skip: number; reason: string };

/**
 * Decide at `current` (with the two entries after it). A short line ending in a full stop is the
 * abstract of the title before it only when a title (or the end) follows it; when an abstract
 * follows instead, it may as well be that abstract's title, and the three lines are skipped.
 */
function decide(current: Entry, next: Entry | undefined, after: Entry | undefined): Step {
  const quoted = `"${previewText(current.text)}"`;
  if (current.kind === 'abstract') return { pair: false, skip: 1, reason: `abstract-like line without a title: ${quoted}` };
  if (current.kind === 'short-prose') {
    if (next?.kind === 'abstract') return { pair: true }; // a title ending in a full stop
    return { pair: false, skip: 1, reason: `short line without a title or an abstract next to it: ${quoted}` };
  }
  if (!next) return { pair: false, skip: 1, reason: `title without an abstract at end of file: ${quoted}` };
  if (next.kind === 'abstract') return { pair: true };
  if (next.kind === 'title') return { pair: false, skip: 1, reason: `title without an abstract (line ${next.line} looks like another title): ${quoted}` };
  if (!after || after.kind === 'title') return { pair: true }; // a short abstract
  if (after.kind === 'abstract') {
    return {
      pair: false,
      skip: 3,
      reason: `lines ${current.line}–${after.line} are ambiguous: line ${next.line} could be the abstract of line ${current.line} or the title of line ${after.line}, so none is paired: ${quoted}`,
    };
  }
  return { pair: false, skip: 1, reason: `title without a clear abstract (lines ${next.line} and ${after.line} are both short): ${quoted}` };
}

/**
 * Parse the scraped "trending papers" text format: page debris, then alternating title / abstract
 * lines. Lines are classified (see classifyLine) so that one malformed record (missing abstract,
 * abstract without a title) is reported and skipped without shifting the following pairs; a pair
 * whose title or abstract is over its limit is skipped too.
 */
export function parseTrendingText(text: string, fileName: string): ParsedCorpus {
  const papers: Paper[] = [];
  const skipped: SkippedRecord[] = [];
  const seen = new Map<string, number>();
  const entries = classifyLines(text);
  for (let i = 0; i < entries.length; ) {
    const current = entries[i]!;
    const step = decide(current, entries[i + 1], entries[i + 2]);
    if (!step.pair) {
      skipped.push({ file: fileName, line: current.line, reason: step.reason });
      i += step.skip;
      continue;
    }
    const abstract = entries[i + 1]!;
    i += 2;
    const overLimit = recordOverLimit(current.text, abstract.text);
    if (overLimit) {
      skipped.push({ file: fileName, line: current.line, reason: `${overLimit} (lines ${current.line}–${abstract.line})` });
      continue;
    }
    const paper = buildPaper({ title: current.text, abstract: abstract.text }, { file: fileName, line: current.line });
    const firstLine = seen.get(paper.id);
    if (firstLine !== undefined) {
      skipped.push({ file: fileName, line: current.line, reason: `duplicate of the paper at line ${firstLine}: "${previewText(paper.title)}"` });
      continue;
    }
    seen.set(paper.id, current.line);
    papers.push(paper);
  }
  return { papers, skipped };
}
