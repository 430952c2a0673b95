/** One citation group as written: `[1]`, `[1, 3]`, `[1-3]`, `[1; 2]` (runs like `[1][2]` are separate groups). */
const CITATION = /\s?\[\s*(\d{1,4}(?:\s*[-–—]\s*\d{1,4})?(?:\s*[,;]\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?)*)\s*\]/g;
/** Ranges longer than this are not expanded (a model writing `[1-9999]` is not citing 9,999 sources). */
const MAX_RANGE = 50;

export interface CitationCheck {
  /** The text with citations to numbers outside 1…`count` removed (groups rewritten to their valid numbers). */
  text: string;
  /** Valid cited numbers, ascending. */
  cited: number[];
  /** How many cited numbers were outside 1…`count` and removed. */
  removed: number;
}

/**
 * Keep only citations to the `count` numbered sources that were given. `[1, 7]` with 3 sources becomes `[1]`,
 * `[7]` disappears, `[2-5]` becomes `[2, 3]`. `[0, 1]` (an interval, not a citation) is left alone.
 */
export function checkCitations(text: string, count: number): CitationCheck {
  const cited = new Set<number>();
  let removed = 0;
  const out = text.replace(CITATION, (match, body: string) => {
    const numbers = expandGroup(body);
    if (numbers === undefined) return match; // not a citation (interval / oversized range)
    const valid = numbers.filter((n) => n >= 1 && n <= count);
    removed += numbers.length - valid.length;
    for (const n of valid) cited.add(n);
    if (valid.length === numbers.length) return match;
    if (valid.length === 0) return '';
    const lead = /^\s/.test(match) ? match[0] : '';
    return `${lead}[${[...new Set(valid)].join(', ')}]`;
  });
  return { text: removed > 0 ? tidy(out) : out, cited: [...cited].sort((a, b) => a - b), removed };
}

function expandGroup(body: string): number[] | undefined {
  const numbers: number[] = [];
  const parts = body.split(/\s*[,;]\s*/);
  if (parts.length === 2 && /^0$/.test(parts[0]!.trim())) return undefined; // "[0, 1]"-style interval
  for (const part of parts) {
    const range = part.split(/\s*[-–—]\s*/);
    if (range.length === 2) {
      const from = Number(range[0]);
      const to = Number(range[1]);
      if (to < from || to - from > MAX_RANGE) return undefined;
      for (let n = from; n <= to; n++) numbers.push(n);
    } else {
      numbers.push(Number(part));
    }
  }
  return numbers;
}

/** Clean the gaps a removed citation can leave ("word  ." → "word."). */
function tidy(text: string): string {
  return text.replace(/[ \t]+([.,;:!?])/g, '$1').replace(/[ \t]{2,}/g, ' ');
}
