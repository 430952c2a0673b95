/**
 * Longest abstract accepted, in characters: about five times arXiv's own limit (1,920). A longer
 * "abstract" is a paste of a whole paper or an attempt to flood answers; it is skipped with a reason.
 */
export const MAX_ABSTRACT_CHARS = 10_000;
/** Longest title accepted, in characters (Discord shows at most 256 in an embed title). */
export const MAX_TITLE_CHARS = 250;

const count = (n: number) => n.toLocaleString('en-US');

/** Why a record's title or abstract is over its limit, or undefined when both are within them. */
export function recordOverLimit(title: string, abstract: string): string | undefined {
  if (title.length > MAX_TITLE_CHARS) return `title of ${count(title.length)} characters is over the ${count(MAX_TITLE_CHARS)}-character limit`;
  if (abstract.length > MAX_ABSTRACT_CHARS) return `abstract of ${count(abstract.length)} characters is over the ${count(MAX_ABSTRACT_CHARS)}-character limit`;
  return undefined;
}
