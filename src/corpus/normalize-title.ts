const COMBINING_MARKS = /\p{M}+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

export interface NormalizeTitleOptions {
  /**
   * Keep accents (NFKC instead of NFKD without combining marks). Only paper ids use it: their hash
   * was always taken over this form, so ids made before accent folding stay the same.
   */
  keepAccents?: boolean;
}

/**
 * The one title normaliser: compatibility forms folded, accents removed ("TÜLU" → "tulu"), lower
 * case, every run of punctuation and spacing → one space ("ERNIE-Tiny : A …" → "ernie tiny a …").
 */
export function normalizeTitle(title: string, options: NormalizeTitleOptions = {}): string {
  const folded = options.keepAccents ? title.normalize('NFKC') : title.normalize('NFKD').replace(COMBINING_MARKS, '');
  return folded.toLowerCase().replace(NOT_LETTER_OR_DIGIT, ' ').trim();
}
