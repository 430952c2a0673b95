import { isStopWord, stem, tokenize, words } from '../text/tokenize.js';

/**
 * Text signals the offline claim scorer compares between a claim and an abstract: content terms,
 * numbers, names (methods, datasets, models) and negation cues.
 */

/** Spelled-out numbers that abstracts and answers use interchangeably with digits ("one" is left out: it is mostly a pronoun). */
const NUMBER_WORDS: Readonly<Record<string, string>> = Object.fromEntries(
  'two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty'
    .split(' ')
    .map((word, i) => [word, String(i + 2)]),
);
const DIGITS = /\d+(?:[.,]\d+)*/g;
/** "3,000" is three thousand; "3,15" (a decimal comma) is 3.15. */
const THOUSANDS = /^\d{1,3}(?:,\d{3})+$/;

/** A number as a canonical string: "90.0" → "90", "4,000" → "4000", "3,15" → "3.15". */
function canonicalNumber(raw: string): string | undefined {
  let text = raw;
  if (THOUSANDS.test(text)) text = text.replaceAll(',', '');
  else if (/^\d+,\d{1,2}$/.test(text)) text = text.replace(',', '.');
  else if (text.includes(',')) return undefined; // a list like "1,2,3"
  const value = Number(text);
  return Number.isFinite(value) ? String(value) : undefined;
}

/** Every number of a text, digits anywhere ("K400" → 400, "7.5x" → 7.5) and spelled-out ones ("ten" → 10). */
export function numbersIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const match of text.matchAll(DIGITS)) {
    const value = canonicalNumber(match[0]);
    if (value !== undefined) out.add(value);
  }
  for (const word of words(text)) {
    for (const part of word.split('-')) {
      const value = NUMBER_WORDS[part];
      if (value) out.add(value);
    }
  }
  return out;
}

/** Lower-case, accents removed ("TÜLU" → "tulu"), so a name matches however the abstract encodes it. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

const TOKEN = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;

/** Whether one part of a word looks like part of a name: "ViT", "GPT", "L2P", "R1", or capitalised away from the sentence start. */
function isNamePart(part: string, sentenceInitial: boolean): boolean {
  if (part.length < 2) return false;
  if (/^\d+(?:x|k|m|b|times)?$/i.test(part)) return false; // numbers ("400x", "200K") are checked as numbers
  if (/\d/.test(part)) return true;
  if (/^\p{Lu}{2,}s?$/u.test(part)) return true;
  if (/^.+\p{Lu}/u.test(part)) return true;
  return !sentenceInitial && /^\p{Lu}/u.test(part);
}

/** Decimal numbers ("1.43x", "3.5") blanked, so their digits are not read as name parts. */
const DECIMAL = /\d+(?:[.,]\d+)+(?:[kmbx]\b)?/gi;

/**
 * The name parts of a claim, as folded stems ("CoR-Math-7B" → "cor", "math"; "Kinetics-400" → "kinet";
 * the numbers in them are checked as numbers). The capitalised first word of a sentence counts only when it looks like a name by itself
 * ("PsyDI", "L2P") or within a hyphenated name ("Auto-Meta" → "meta").
 */
export function namePartsIn(text: string): Set<string> {
  const out = new Set<string>();
  let first = true;
  for (const match of text.replace(DECIMAL, ' ').matchAll(TOKEN)) {
    match[0].split(/[-'’]/).forEach((part, i) => {
      if (part && isNamePart(part, first && i === 0) && !isStopWord(part.toLowerCase())) out.add(stem(foldText(part)));
    });
    first = false;
  }
  return out;
}

/** Folded stems of every word of a text, and of each hyphen part: what a name part is looked up in. */
export function foldedStems(text: string): Set<string> {
  const out = new Set(tokenize(foldText(text)));
  for (const word of words(foldText(text))) {
    out.add(stem(word));
    for (const part of word.split(/[-']/)) if (part) out.add(stem(part));
  }
  return out;
}

/**
 * Negative cues: negations, negative affixes ("non-", "independent", "indistinguishable") and words of
 * failure, prevention or doing worse. "not only … but also" is not a negation.
 */
const NEGATIVE_WORDS = new Set(
  `not no never neither nor without cannot none nothing fail fails failed failing lack lacks lacking unable absence
  avoid avoids avoiding avoided prevent prevents prevented preventing block blocks blocked hinder hinders hindered
  worse worst poor poorly inferior behind underperform underperforms`.split(/\s+/),
);
/** Words whose prefix negates the rest: the rest is what they negate ("unchanged" → "changed"). */
const NEGATIVE_PREFIX = /^(?:non(?!e)|un(?!der|i|til|lock|like)|in(?=dependent|distinguishable|capable|effective|sufficient|valid|accessible|feasible|flexib)|im(?=possible|practical))/;
/** Where a negation's reach ends: the end of a clause, or a contrasting conjunction. */
const CLAUSE_BREAK = /[.;:!?]|\b(?:but|while|whereas|although|though|yet)\b/;
/** Within a clause, a negation reaches to the next comma or "and"/"or" (or over it, when nothing came before). */
const PHRASE_BREAK = /,|\b(?:and|or)\b/;
/** "Learning without Forgetting": a negation inside a capitalised name negates nothing. */
const NAME_NEGATION = /(\p{Lu}[\p{L}\p{N}-]*\s+)(?:without|not|no)\s+(?=\p{Lu})/gu;
/** How many content words a negative cue governs at most. */
const SCOPE_WORDS = 5;

function isNegativeWord(part: string): boolean {
  return NEGATIVE_WORDS.has(part) || part.endsWith("n't");
}

/** Content stems of a word list (stop words and negative cues left out). */
function contentStems(list: readonly string[]): string[] {
  return list.filter((w) => w.length > 1 && !isStopWord(w) && !isNegativeWord(w)).map((w) => stem(w));
}

/** The scope of the negative cue at `phrases[p][i]`, or undefined when that word is not one. */
function scopeOf(phrases: readonly string[][], p: number, i: number): Set<string> | undefined {
  const phrase = phrases[p]!;
  const parts = phrase[i]!.split('-');
  if (parts.length > 1 && parts.at(-1) === 'free') return new Set(contentStems(parts.slice(0, -1)));
  const prefixed = parts.findIndex((part) => NEGATIVE_PREFIX.test(part));
  if (!parts.some(isNegativeWord) && prefixed < 0) return undefined;
  const own = prefixed >= 0 ? contentStems([parts[prefixed]!.replace(NEGATIVE_PREFIX, ''), ...parts.slice(prefixed + 1)]) : [];
  let reach = contentStems(phrase.slice(i + 1));
  if (reach.length === 0 && own.length === 0) reach = contentStems(phrases[p + 1] ?? []);
  if (reach.length === 0 && own.length === 0) reach = contentStems([...phrases.slice(0, p).flat(), ...phrase.slice(0, i)]).slice(-SCOPE_WORDS);
  return new Set([...own, ...reach.slice(0, SCOPE_WORDS)]);
}

/**
 * What each negative cue of a text negates, as sets of content stems: the following content words of
 * its phrase ("does not benefit from pretraining" → benefit, pretrain), the words before it when it
 * ends the clause ("… the ability to reward itself does not"), the rest of a prefixed word ("unchanged"
 * → chang) and what an "X-free" word is free of ("exemplar-free" → exemplar).
 */
export function negativeScopes(text: string): Set<string>[] {
  const scopes: Set<string>[] = [];
  const plain = foldText(text.replace(NAME_NEGATION, '$1')).replace(/\bnot\s+only\b/g, ' ').replace(/[()[\]]/g, ' ');
  for (const clause of plain.split(CLAUSE_BREAK)) {
    const phrases = clause.split(PHRASE_BREAK).map((phrase) => words(phrase));
    phrases.forEach((phrase, p) =>
      phrase.forEach((_, i) => {
        const scope = scopeOf(phrases, p, i);
        if (scope?.size) scopes.push(scope);
      }),
    );
  }
  return scopes;
}

/** What polarity checks need of a text: its folded stems and its negations' scopes. */
export interface PolaritySide {
  stems: Set<string>;
  scopes: Set<string>[];
}

export function polaritySide(text: string): PolaritySide {
  return { stems: foldedStems(text), scopes: negativeScopes(text) };
}

/**
 * How strongly a claim and its evidence disagree in polarity: one negates something (at least
 * `minOverlap` of a negative cue's scope occurs in the other text, by stem) that the other states
 * without negating it. The strength is that share (1: all of the negated words); 0 when they agree.
 */
export function polarityClash(claim: PolaritySide, evidence: PolaritySide, minOverlap: number): number {
  const sides = [claim, evidence];
  const negatedShare = (stems: readonly string[], scopes: readonly Set<string>[]) =>
    stems.length ? stems.filter((s) => scopes.some((scope) => scope.has(s))).length / stems.length : 1;
  let strength = 0;
  for (const [own, other] of [[sides[0]!, sides[1]!], [sides[1]!, sides[0]!]] as const) {
    for (const scope of own.scopes) {
      const shared = [...scope].filter((s) => other.stems.has(s));
      const share = shared.length / scope.size;
      if (share >= minOverlap && negatedShare(shared, other.scopes) < 0.5) strength = Math.max(strength, share);
    }
  }
  return strength;
}

/** A content word of a claim: its surface form (for word vectors) and its stem (for matching). */
export interface ClaimTerm {
  surface: string;
  stem: string;
}

/** The distinct content words of a claim (stop words, numbers and one-letter words left out; hyphenated words split). */
export function claimTerms(text: string): ClaimTerm[] {
  const seen = new Map<string, ClaimTerm>();
  for (const word of words(foldText(text))) {
    for (const part of word.split(/[-']/)) {
      if (part.length < 2 || isStopWord(part) || /^\d+(?:\.\d+)?$/.test(part) || NUMBER_WORDS[part]) continue;
      const s = stem(part);
      if (!seen.has(s)) seen.set(s, { surface: part, stem: s });
    }
  }
  return [...seen.values()];
}
