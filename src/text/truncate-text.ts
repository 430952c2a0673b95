const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * How long a text is for users: its graphemes (what a reader counts as one character — a letter with
 * its accents, an emoji with its modifiers, a flag). The one definition of length behind every limit
 * shown to users.
 */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count += 1;
  return count;
}

/**
 * The longest prefix of `text` made of whole graphemes whose length (UTF-16 units, what budgets and
 * message limits count) is at most `maxLength`: never half an emoji, a lone surrogate or a letter
 * without its accent.
 */
export function cutAtGraphemeBoundary(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (maxLength <= 0) return '';
  // Only the text up to the cut decides where the grapheme holding position `maxLength` starts.
  const head = text.slice(0, maxLength + 1);
  return head.slice(0, graphemes.segment(head).containing(maxLength)!.index);
}

export interface TruncateOptions {
  /** Appended when the text was cut (counted in `maxLength`); default "…". */
  ellipsis?: string;
  /** Cut at the last space when it is in the second half of the kept text (default true). */
  atWord?: boolean;
}

/**
 * `text` when it fits in `maxLength` UTF-16 units, else a prefix cut on a grapheme boundary (on a word
 * boundary when `atWord`) followed by the ellipsis, all within `maxLength`.
 */
export function truncateText(text: string, maxLength: number, options: TruncateOptions = {}): string {
  if (text.length <= maxLength) return text;
  const ellipsis = options.ellipsis ?? '…';
  let kept = cutAtGraphemeBoundary(text, Math.max(0, maxLength - ellipsis.length));
  if (options.atWord ?? true) {
    const space = kept.search(/\s\S*$/);
    if (space > kept.length / 2) kept = kept.slice(0, space);
  }
  return `${kept.trimEnd()}${ellipsis}`;
}
