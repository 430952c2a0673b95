import { checkCitations } from '../answer/check-citations.js';
import { splitSentences } from '../text/tokenize.js';
import type { CitedSentence } from './claim-types.js';

/** A list item, numbered item, heading or quote marker at the start of a line. */
const LINE_MARKER = /^[ \t]*(?:(?:[-*+•]|\d{1,3}[.)]|#{1,6}|>)[ \t]+)?/;
/** Citation groups (and the spaces between them) at the start of a sentence: "[1] [2, 3]". */
const LEADING_CITATIONS = /^(?:\s*\[\s*\d{1,3}(?:\s*[-–—,;]\s*\d{1,3})*\s*\])+/;
/** Inline code spans on one line. */
const INLINE_CODE = /`[^`\n]*`/g;

/** The answer with every inline code span blanked (same length), so "`a.b()`" can neither end a sentence nor hold a citation. */
function maskInlineCode(text: string): string {
  return text.replace(INLINE_CODE, (code) => `\`${'x'.repeat(code.length - 2)}\``);
}

/** Sentences of one line as [start, end) offsets into `masked`, found in order. */
function sentenceSpans(masked: string, lineStart: number, lineEnd: number): [number, number][] {
  const line = masked.slice(lineStart, lineEnd);
  const spans: [number, number][] = [];
  let cursor = 0;
  for (const sentence of splitSentences(line)) {
    const at = line.indexOf(sentence, cursor);
    if (at < 0) continue;
    spans.push([lineStart + at, lineStart + at + sentence.length]);
    cursor = at + sentence.length;
  }
  return spans;
}

/**
 * "Claim one. [1] Claim two [2]." — citations that open a sentence belong to the sentence before when
 * that one has none of its own, or when nothing but punctuation follows them ("Claim [1]. [2]").
 */
function reattachLeadingCitations(masked: string, spans: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [start, end] of spans) {
    const previous = out.at(-1);
    const lead = LEADING_CITATIONS.exec(masked.slice(start, end))?.[0];
    const rest = lead ? masked.slice(start + lead.length, end) : '';
    const restHasWords = /[\p{L}\p{N}]/u.test(rest);
    if (previous && lead && (!restHasWords || !/\[\s*\d/.test(masked.slice(previous[0], previous[1])))) {
      previous[1] = start + lead.length;
      if (restHasWords) out.push([start + lead.length + (rest.length - rest.trimStart().length), end]);
      continue;
    }
    out.push([start, end]);
  }
  return out;
}

/**
 * Split an answer into sentences, each with the source numbers it cites (1…`sourceCount`; others are
 * ignored, as the citation check removes them). Robust to lists and headings (each line is split on its
 * own, its marker left out), abbreviations ("et al.", "e.g."), decimals ("86.6%"), inline code
 * (`` `x[1]. y` `` is neither a citation nor a sentence end), and citations placed after the full stop.
 */
export function splitCitedSentences(answer: string, sourceCount: number): CitedSentence[] {
  const masked = maskInlineCode(answer);
  const sentences: CitedSentence[] = [];
  let lineStart = 0;
  for (const line of masked.split('\n')) {
    const lineEnd = lineStart + line.length;
    const contentStart = lineStart + (LINE_MARKER.exec(line)?.[0].length ?? 0);
    for (const [start, end] of reattachLeadingCitations(masked, sentenceSpans(masked, contentStart, lineEnd))) {
      const text = answer.slice(start, end);
      sentences.push({ text, citations: checkCitations(text, sourceCount).cited, start, end });
    }
    lineStart = lineEnd + 1;
  }
  return sentences;
}

/** The words of a sentence without its citations and Markdown emphasis/code marks: the claim to check. */
export function claimText(sentence: string): string {
  const withoutCitations = checkCitations(sentence, 0).text; // with no valid numbers, every citation group is removed
  return withoutCitations
    .replace(/\*\*|__|[*`]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:!?])/g, '$1')
    .trim();
}
