import type { Paper, PaperEntry } from '../corpus/paper.js';
import { UserFacingError } from '../errors.js';
import { normalizeUserText, sanitizeText } from '../text/normalize-input.js';
import { tokenize } from '../text/tokenize.js';
import { toCandidate, type PaperCandidate } from './answer-types.js';
import { fuzzyScorer, MAX_PATTERN_CHARS, type FuzzyField } from './approximate-match.js';
import { compactName, dice, newMatchWork, normalizeTitle, PaperNameIndex, trigrams, type MatchLimits, type MatchWork, type NameEntry } from './paper-name-index.js';

export { normalizeTitle } from './paper-name-index.js';
export type { MatchLimits, MatchWork } from './paper-name-index.js';

/** Longest paper name `resolve` accepts (characters, after clean-up). */
export const MAX_PAPER_NAME_CHARS = 300;
/** Autocomplete suggests from the first this many characters of what was typed. */
export const SUGGEST_INPUT_CHARS = 100;

/** A paper name matched several papers; `candidates` lists them (the message names them too). */
export class AmbiguousPaperError extends UserFacingError {
  readonly candidates: PaperCandidate[];
  readonly input: string;
  /** `total`: how many papers matched when `candidates` lists only the first of them. */
  constructor(input: string, candidates: PaperCandidate[], total = candidates.length) {
    const list = candidates.map((c) => `• ${c.title} (id: ${c.id})`).join('\n');
    const shown = total > candidates.length ? ` (the first ${candidates.length} are listed)` : '';
    super('ambiguous-paper', `"${input}" matches ${total} papers${shown} — please be more specific, or use one of these titles or ids:\n${list}`);
    this.candidates = candidates;
    this.input = input;
  }
}

/** Filler around a paper name: "the VideoMAE v2 paper" → "VideoMAE v2". */
function stripFiller(text: string): string {
  return text
    .trim()
    .replace(/^["'“”‘’«»`]+|["'“”‘’«»`]+$/g, '')
    .replace(/^(?:the|a|an)\s+/i, '')
    .replace(/^(?:paper|article)\s*[:\-–—]?\s+/i, '')
    .replace(/\s+(?:paper|article|work|preprint|publication)$/i, '')
    .replace(/^(?:the|a|an)\s+/i, '')
    .trim();
}

const MAX_CANDIDATES = 8;
/** Most errors per pattern character a fuzzy match may have. */
const FUZZY_THRESHOLD = 0.4;
/** Relative weight of the title and of the nicknames in a fuzzy score. */
const TITLE_WEIGHT = 1 / 1.7;
const ALIAS_WEIGHT = 0.7 / 1.7;

/** What fuzzy matching compares: the first characters of the text (one bit-parallel word). */
const fuzzyPattern = (text: string) => text.slice(0, MAX_PATTERN_CHARS).trim();

function fuzzyFields(entry: NameEntry): FuzzyField[] {
  return [{ text: entry.norm, weight: TITLE_WEIGHT }, ...entry.aliases.map((text) => ({ text, weight: ALIAS_WEIGHT }))];
}

/**
 * Turns what users type (an id, a title — exact, normalised or fuzzy — or a nickname/acronym such as "L2P",
 * "DualPrompt", "the VideoMAE v2 paper") into one paper. One per corpus, over a `PaperNameIndex` built on first use;
 * inputs are capped and every lookup scores only a bounded set of candidates (`MatchLimits`).
 */
export class PaperResolver<P extends PaperEntry = Paper> {
  private built: PaperNameIndex<P> | undefined;

  /** The name index is built on the first lookup (a process that never resolves a name never pays for it). */
  constructor(
    private readonly papers: readonly P[],
    private readonly limits: Partial<MatchLimits> = {},
  ) {}

  private get index(): PaperNameIndex<P> {
    return (this.built ??= new PaperNameIndex(this.papers, this.limits));
  }

  /**
   * Resolve one paper; throws `AmbiguousPaperError`, `UserFacingError('unknown-paper')`, or
   * 'empty-input' / 'too-long' (over `MAX_PAPER_NAME_CHARS`). `work` receives what the lookup did.
   */
  resolve(input: string, work: MatchWork = newMatchWork()): P {
    const raw = normalizeUserText(input, { maxChars: MAX_PAPER_NAME_CHARS, what: 'paper name', multiline: false });
    const direct = this.index.paperById(raw) ?? single1(this.index.papersByUrl(raw));
    if (direct) return direct;
    const exact = this.index.withTitle(raw);
    if (exact.length) return this.single(raw, exact);

    const cleaned = stripFiller(raw);
    for (const variant of new Set([raw, cleaned])) {
      const key = compactName(variant);
      if (!key) continue;
      const named = [this.index.withCompactTitle(key), this.index.withAlias(key)].find((list) => list.length > 0);
      if (named) return this.single(raw, named);
    }

    // A clear beginning of a title: "Learning to Prompt" → "Learning to Prompt for Continual Learning".
    const norm = normalizeTitle(cleaned);
    if (norm.length >= 10 && norm.includes(' ')) {
      const prefixed = this.index.withTitlePrefix(`${norm} `, work);
      if (prefixed.length) return this.single(raw, prefixed);
    }

    // A word or phrase several titles contain ("RLHF", "prompt tuning", "survey") names none of them;
    // a paper's distinctive name (its head before ':' or its acronym) was resolved above.
    if (norm) {
      const containing = this.index.withPhrase(norm, work);
      if (containing.length > 1) return this.single(raw, containing);
    }

    const near = this.index.nearCandidates(norm, work);
    const typo = norm.length >= 16 ? this.closeTitle(raw, norm, near, work) : undefined;
    if (typo) return typo;
    const fuzzy = this.fuzzy(cleaned || raw, near, MAX_CANDIDATES, work);
    const best = fuzzy[0];
    if (best && best.score <= 0.25) {
      const close = fuzzy.filter((r) => r.score - best.score < 0.08);
      if (close.length === 1 || (best.score < 0.02 && (close[1]?.score ?? 1) > 0.05)) return best.entry.paper;
      throw new AmbiguousPaperError(raw, close.map((r) => toCandidate(r.entry.paper)));
    }
    const suggestions = this.suggest(cleaned || raw, 3, work);
    const hint = suggestions.length ? ` Closest titles: ${suggestions.map((p) => `"${p.title}"`).join('; ')}.` : '';
    throw new UserFacingError('unknown-paper', `No paper in the corpus matches "${raw}".${hint}`);
  }

  /**
   * Papers whose title or nickname matches `input` (its first `SUGGEST_INPUT_CHARS` characters), best
   * first, for autocomplete. Empty input → the first papers. Never throws.
   */
  suggest(input: string, limit = 25, work: MatchWork = newMatchWork()): P[] {
    const text = stripFiller(sanitizeText(leadingChars(input ?? '', SUGGEST_INPUT_CHARS)));
    if (!text) return this.papers.slice(0, limit);
    const norm = normalizeTitle(text);
    const out = new Map<string, P>();
    const add = (entries: readonly NameEntry<P>[]) => {
      for (const e of entries) if (out.size < limit) out.set(e.paper.id, e.paper);
    };
    if (norm) {
      add(mergeInOrder(this.index.withAlias(compactName(text)), this.index.withTitlePrefix(norm, work)));
      if (out.size < limit) add(this.index.containing(norm, limit, work));
    }
    if (out.size < limit) add(this.fuzzy(text, this.index.nearCandidates(normalizeTitle(fuzzyPattern(text)), work), limit, work).map((r) => r.entry));
    // Shared title words, for descriptions rather than names ("video masked pretraining at scale").
    if (out.size < limit) add(this.index.sharingTerms(new Set(tokenize(text)), limit, work));
    return [...out.values()];
  }

  /** A whole title with typos: character-trigram similarity over the nearest candidates. */
  private closeTitle(raw: string, norm: string, near: NameEntry<P>[], work: MatchWork): P | undefined {
    const grams = trigrams(norm);
    const candidates = this.scorable(near, work);
    // Trigram sets are made for the few candidates scored, not kept per paper (they were most of the index's memory).
    const scored = candidates.map((e) => ({ e, sim: dice(grams, trigrams(e.norm)) })).sort((a, b) => b.sim - a.sim || a.e.index - b.e.index);
    const [first, second] = scored;
    if (!first || first.sim < 0.7) return undefined;
    if (!second || second.sim < first.sim - 0.1) return first.e.paper;
    throw new AmbiguousPaperError(raw, scored.filter((s) => s.sim >= first.sim - 0.1).slice(0, MAX_CANDIDATES).map((s) => toCandidate(s.e.paper)));
  }

  /** Fuzzy matches of `text` (its first 32 characters) in titles and nicknames, best first, among `near` only. */
  private fuzzy(text: string, near: NameEntry<P>[], limit: number, work: MatchWork): { entry: NameEntry<P>; score: number }[] {
    const score = fuzzyScorer(fuzzyPattern(text), FUZZY_THRESHOLD);
    const scored: { entry: NameEntry<P>; score: number }[] = [];
    for (const entry of this.scorable(near, work)) {
      const value = score(fuzzyFields(entry));
      if (value !== undefined) scored.push({ entry, score: value });
    }
    return scored.sort((a, b) => a.score - b.score || a.entry.index - b.entry.index).slice(0, limit);
  }

  /** Take what the scoring budget still allows. */
  private scorable(candidates: NameEntry<P>[], work: MatchWork): NameEntry<P>[] {
    const allowed = candidates.slice(0, Math.max(0, this.index.limits.scored - work.scored));
    work.scored += allowed.length;
    return allowed;
  }

  private single(input: string, matches: readonly NameEntry<P>[]): P {
    if (matches.length === 1) return matches[0]!.paper;
    throw new AmbiguousPaperError(input, matches.slice(0, MAX_CANDIDATES).map((e) => toCandidate(e.paper)), matches.length);
  }
}

/** The first `count` characters (code points) of `text`. */
function leadingChars(text: string, count: number): string {
  return [...text.slice(0, count * 2)].slice(0, count).join('');
}

function single1<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

/** Two lists in corpus order, merged without repeats. */
function mergeInOrder<P extends PaperEntry>(a: readonly NameEntry<P>[], b: readonly NameEntry<P>[]): NameEntry<P>[] {
  const byIndex = new Map<number, NameEntry<P>>();
  for (const e of [...a, ...b]) byIndex.set(e.index, e);
  return [...byIndex.values()].sort((x, y) => x.index - y.index);
}

/** Resolve user text to one paper (builds a resolver; prefer a shared `PaperResolver` for repeated lookups). */
export function resolvePaper(papers: readonly Paper[], input: string): Paper {
  return new PaperResolver(papers).resolve(input);
}

/** Autocomplete suggestions (builds a resolver; prefer a shared `PaperResolver` for repeated lookups). */
export function suggestPapers(papers: readonly Paper[], input: string, limit = 25): Paper[] {
  return new PaperResolver(papers).suggest(input, limit);
}
