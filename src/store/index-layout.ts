/*
 * An index folder (`config.indexDir`) holds manifest.json, the commit point naming the current
 * generation, and generation folders gen-000007/ with index.json (vectra's format), papers.json and
 * lexical.json. A writer builds a complete new generation, then atomically replaces manifest.json;
 * the previous generation stays for readers that still have it open; older ones are removed.
 */

export const MANIFEST_FILE = 'manifest.json';
/** The vectors, in vectra's LocalIndex format (vectra can open a generation folder as is). */
export const VECTRA_INDEX_FILE = 'index.json';
export const PAPERS_FILE = 'papers.json';
/** The serialised lexical (BM25) index, present when the manifest has `lexical`. */
export const LEXICAL_FILE = 'lexical.json';

const GENERATION_PREFIX = 'gen-';
const GENERATION_DIGITS = 6;

/** The folder name of generation `n` (gen-000007). */
export function generationName(n: number): string {
  return `${GENERATION_PREFIX}${String(n).padStart(GENERATION_DIGITS, '0')}`;
}

export function isGenerationName(name: string): boolean {
  return name.startsWith(GENERATION_PREFIX);
}

/** The number of a generation folder name (0 when it has none). */
export function generationNumber(name: string): number {
  return Number.parseInt(name.slice(GENERATION_PREFIX.length), 10) || 0;
}
