/**
 * One citation group as written: `[1]`, `[1, 3]`, `[1-3]`, `[1; 2]` (runs like `[1][2]` are separate groups),
 * with at most one space or tab before it (never a line break, so removing it cannot join two lines).
 */
const CITATION = /[ \t]?\[\s*(\d{1,4}(?:\s*[-–—]\s*\d{1,4})?(?:\s*[,;]\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?)*)\s*\]/g;
/** Numbers this large are years or sizes (`[2023]`), never source numbers. */
const NOT_A_SOURCE_NUMBER = 1000;

export interface CitationCheck {
  /** The text with citations to numbers outside 1…`count` removed (groups rewritten to their valid numbers). */
  text: string;
  /** Valid cited numbers, ascending. */
  cited: number[];
  /** How many citations were removed: single numbers outside 1…`count`, and invalid ranges (each counts once). */
  removed: number;
}

type Group = { kind: 'text' } | { kind: 'citation'; valid: number[]; removed: number };

/**
 * Keep only citations to the `count` numbered sources that were given:
 * - `[1, 7]` with 3 sources becomes `[1]`, `[7]` disappears (each counted as removed);
 * - a range is kept only when both ends lie in 1…`count` and it is not reversed: `[1-3]` stays, while
 *   `[2-5]`, `[1-100]`, `[3-1]` are removed whole and each counts as one removed citation (a bad range is
 *   never clamped into numbers the model did not write);
 * - not citations, left as text and not counted: intervals starting at 0 (`[0, 1]`, `[0-1]`), groups naming a
 *   number ≥ 1000 (`[2023]`, a year), and anything inside inline code (`` `array[10]` ``). A group glued to
 *   the preceding word (`claim[7]`) is a citation like any other: models often omit the space.
 * Only the gap a removed group leaves is tidied ("claim [7]." → "claim."); the rest of the text is untouched.
 */
export function checkCitations(text: string, count: number): CitationCheck {
  const cited = new Set<number>();
  let removed = 0;
  const mark = sentinelFor(text);
  const out = text.replace(CITATION, (match: string, body: string, offset: number) => {
    const lead = /^[ \t]/.test(match) ? match[0]! : '';
    const group = parseGroup(body, count);
    if (group.kind === 'text' || insideInlineCode(text, offset)) return match;
    removed += group.removed;
    for (const n of group.valid) cited.add(n);
    if (group.removed === 0) return match;
    if (group.valid.length === 0) return `${lead}${mark}`;
    return `${lead}[${[...new Set(group.valid)].join(', ')}]`;
  });
  return { text: removed > 0 ? closeGaps(out, mark) : out, cited: [...cited].sort((a, b) => a - b), removed };
}

function parseGroup(body: string, count: number): Group {
  const parts = body.split(/\s*[,;]\s*/).map((part) => part.split(/\s*[-–—]\s*/).map(Number));
  const first = parts[0]!;
  // "[0, 1]" / "[0-1]": an interval, not a citation
  if (first[0] === 0 && ((parts.length === 2 && first.length === 1) || (parts.length === 1 && first.length === 2))) return { kind: 'text' };
  if (parts.some((range) => range.some((n) => n >= NOT_A_SOURCE_NUMBER && n > count))) return { kind: 'text' };
  const valid: number[] = [];
  let removed = 0;
  for (const [from, to = from] of parts as [number, number?][]) {
    if (from >= 1 && to <= count && from <= to) for (let n = from; n <= to; n++) valid.push(n);
    else removed += 1;
  }
  return { kind: 'citation', valid, removed };
}

/** Whether `offset` lies between a pair of backticks on its line (inline code). */
function insideInlineCode(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return (text.slice(lineStart, offset).split('`').length - 1) % 2 === 1;
}

/** A character that does not occur in `text`, to mark where groups were removed. */
function sentinelFor(text: string): string {
  let code = 0xe000;
  while (text.includes(String.fromCharCode(code))) code++;
  return String.fromCharCode(code);
}

/**
 * Remove the marks of removed groups and close the gap each leaves, touching only the spaces next to a mark:
 * before punctuation or a line end the spaces go ("claim [7]." → "claim."), at a line start the indentation
 * stays, elsewhere one space is left ("A [7] B" → "A B").
 */
function closeGaps(text: string, mark: string): string {
  const run = new RegExp(`([ \\t]*)${mark}(?:[ \\t]*${mark})*([ \\t]*)`, 'g');
  return text.replace(run, (match: string, before: string, after: string, offset: number) => {
    const prev = offset > 0 ? text[offset - 1]! : '\n';
    const next = text[offset + match.length] ?? '\n';
    if (/[.,;:!?)\n\r]/.test(next)) return '';
    if (prev === '\n') return before;
    return before || after ? ' ' : '';
  });
}
