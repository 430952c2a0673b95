/** Longest pattern a matcher takes: one 32-bit word. */
export const MAX_PATTERN_CHARS = 32;

/**
 * A matcher for `pattern` (cut to `MAX_PATTERN_CHARS`): for a text, the fewest edits (insert,
 * delete, substitute) that turn the pattern into some substring of it (Sellers' distance), by
 * Myers' bit-parallel algorithm — one pass over the text.
 */
export function substringMatcher(pattern: string): (text: string) => number {
  const m = Math.min(pattern.length, MAX_PATTERN_CHARS);
  const peq = new Map<number, number>();
  for (let i = 0; i < m; i++) {
    const c = pattern.charCodeAt(i);
    peq.set(c, (peq.get(c) ?? 0) | (1 << i));
  }
  const high = 1 << (m - 1);
  return (text) => {
    if (m === 0) return 0;
    let pv = -1;
    let mv = 0;
    let score = m;
    let best = m;
    for (let j = 0; j < text.length; j++) {
      const eq = peq.get(text.charCodeAt(j)) ?? 0;
      const xv = eq | mv;
      const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
      let ph = mv | ~(xh | pv);
      let mh = pv & xh;
      if (ph & high) score++;
      else if (mh & high) score--;
      // A match may start anywhere in the text: no carry into the first row.
      ph <<= 1;
      mh <<= 1;
      pv = mh | ~(xv | ph);
      mv = ph & xv;
      if (score < best) best = score;
    }
    return best;
  };
}

/** Sellers' distance of `pattern` to the best-matching substring of `text`. */
export function substringDistance(pattern: string, text: string): number {
  return substringMatcher(pattern)(text);
}

/** One lower-case string a record is fuzzy-matched on, and its weight among the record's keys. */
export interface FuzzyField {
  text: string;
  weight: number;
}

/**
 * Fuzzy scores of `pattern` (case-insensitive) against records of lower-case fields: 0 (perfect)
 * … 1, or undefined when no field matches within `threshold`. Fuse.js's scoring with
 * `ignoreLocation` (errors / pattern length per field, combined over the matching fields as
 * Π score^(weight × 1/√words)), in linear time per field.
 */
export function fuzzyScorer(pattern: string, threshold: number): (fields: readonly FuzzyField[]) => number | undefined {
  const p = pattern.slice(0, MAX_PATTERN_CHARS).toLowerCase();
  const distance = substringMatcher(p);
  return (fields) => {
    if (p.length < 2) return undefined;
    let total = 1;
    let matched = false;
    for (const { text, weight } of fields) {
      const score = p === text ? 0 : Math.max(0.001, distance(text) / p.length);
      if (score > threshold) continue;
      matched = true;
      total *= Math.pow(score === 0 ? Number.EPSILON : score, weight * lengthNorm(text));
    }
    return matched ? total : undefined;
  };
}

/** 1/√(number of words), to 3 decimals: a match in a short field counts more. */
function lengthNorm(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) === 32;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return Math.round(1000 / Math.sqrt(Math.max(1, words))) / 1000;
}
