import type { ParsedCorpus, Paper, SkippedRecord } from './paper.js';
import { buildPaper, cleanText } from './paper-identity.js';

/** Lines of scraped page chrome (Hugging Face "trending papers" page) that are not records. */
const DEBRIS_LINES = [/^get trending papers in your email inbox/i, /^subscribe$/i];
/** "Subscribe" glued to the start of the first title by the scrape. */
const GLUED_SUBSCRIBE = /^Subscribe(?=[\p{Lu}\p{N}])/u;

const MAX_TITLE_CHARS = 250;

export type LineKind = 'title' | 'abstract';

/** Number of sentence ends (". X", "! X", "? X", or terminal punctuation at the end). */
function countSentences(line: string): number {
  return (line.match(/[.!?](?=\s+[\p{Lu}\p{N}(]|\s*$)/gu) ?? []).length;
}

/**
 * Classify one non-blank line: titles are short and rarely end in a full stop; abstracts are long
 * prose (several sentences, or a long line ending in terminal punctuation).
 */
export function classifyLine(line: string): LineKind {
  const length = line.length;
  if (length > MAX_TITLE_CHARS) return 'abstract';
  if (length >= 120 && (/[.!?]$/.test(line) || countSentences(line) >= 2)) return 'abstract';
  if (countSentences(line) >= 3) return 'abstract';
  return 'title';
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * Parse the scraped "trending papers" text format: page debris, then alternating title / abstract
 * lines. Lines are classified as title-like or abstract-like so that one malformed record (missing
 * abstract, abstract without a title) is reported and skipped without shifting the following pairs.
 */
export function parseTrendingText(text: string, fileName: string): ParsedCorpus {
  const papers: Paper[] = [];
  const skipped: SkippedRecord[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);

  // Non-blank, non-debris lines with their 1-based numbers.
  const entries: { line: number; text: string; kind: LineKind }[] = [];
  let inHeader = true;
  for (const [index, raw] of lines.entries()) {
    let value = cleanText(raw);
    if (!value) continue;
    if (DEBRIS_LINES.some((re) => re.test(value))) continue;
    if (inHeader) {
      value = value.replace(GLUED_SUBSCRIBE, '');
      inHeader = false;
    }
    entries.push({ line: index + 1, text: value, kind: classifyLine(value) });
  }

  for (let i = 0; i < entries.length; ) {
    const current = entries[i]!;
    if (current.kind === 'abstract') {
      skipped.push({ file: fileName, line: current.line, reason: `abstract-like line without a title: "${preview(current.text)}"` });
      i += 1;
      continue;
    }
    const next = entries[i + 1];
    if (!next) {
      skipped.push({ file: fileName, line: current.line, reason: `title without an abstract at end of file: "${preview(current.text)}"` });
      i += 1;
      continue;
    }
    if (next.kind !== 'abstract') {
      skipped.push({
        file: fileName,
        line: current.line,
        reason: `title without an abstract (line ${next.line} looks like another title): "${preview(current.text)}"`,
      });
      i += 1;
      continue;
    }
    const paper = buildPaper({ title: current.text, abstract: next.text }, { file: fileName, line: current.line });
    const firstLine = seen.get(paper.id);
    if (firstLine !== undefined) {
      skipped.push({ file: fileName, line: current.line, reason: `duplicate of the paper at line ${firstLine}: "${preview(paper.title)}"` });
    } else {
      seen.set(paper.id, current.line);
      papers.push(paper);
    }
    i += 2;
  }
  return { papers, skipped };
}
