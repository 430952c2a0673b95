import Fuse from 'fuse.js';
import type { Paper } from '../corpus/paper.js';
import { UserFacingError } from '../errors.js';
import { tokenize } from '../text/tokenize.js';
import { toCandidate, type PaperCandidate } from './answer-types.js';

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

/** Lower-case, accents and punctuation folded to single spaces. */
export function normalizeTitle(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
const compact = (text: string) => normalizeTitle(text).replace(/ /g, '');

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

const ACRONYM_IN_PARENS = /\(([\p{L}\p{N}][\p{L}\p{N}+\-.]{1,19})\)/gu;

interface Entry {
  paper: Paper;
  norm: string;
  compact: string;
  /** Normalised nicknames: the title's head before ':', acronyms it defines. */
  aliases: string[];
  trigrams: Set<string>;
  /** Distinct search terms of the title. */
  terms: string[];
}

const MAX_CANDIDATES = 8;

/**
 * Turns what users type (an id, a title — exact, normalised or fuzzy — or a nickname/acronym such as "L2P",
 * "DualPrompt", "the VideoMAE v2 paper") into one paper. Build once per corpus; lookups are fast.
 */
export class PaperResolver {
  private readonly entries: Entry[];
  private readonly byId = new Map<string, Paper>();
  private readonly fuse: Fuse<Entry>;

  constructor(private readonly papers: readonly Paper[]) {
    // Acronyms defined in parentheses in an abstract are nicknames only when one paper defines them ("L2P", not "LLMs").
    const abstractAcronyms = papers.map((p) => new Set([...[...p.abstract.matchAll(ACRONYM_IN_PARENS)].map((m) => m[1]!).filter(isNameLike), ...(p.aliases ?? [])]));
    const acronymCount = new Map<string, number>();
    for (const set of abstractAcronyms) for (const a of set) acronymCount.set(compact(a), (acronymCount.get(compact(a)) ?? 0) + 1);

    this.entries = papers.map((paper, i) => {
      const aliases = new Set<string>();
      const head = paper.title.split(/:\s/)[0]!;
      if (head.length < paper.title.length && head.split(/\s+/).length <= 6) aliases.add(compact(head));
      for (const m of paper.title.matchAll(ACRONYM_IN_PARENS)) if (isNameLike(m[1]!)) aliases.add(compact(m[1]!));
      for (const a of abstractAcronyms[i]!) if (acronymCount.get(compact(a)) === 1) aliases.add(compact(a));
      aliases.delete('');
      const norm = normalizeTitle(paper.title);
      return { paper, norm, compact: compact(paper.title), aliases: [...aliases], trigrams: trigrams(norm), terms: [...new Set(tokenize(paper.title))] };
    });
    for (const p of papers) this.byId.set(p.id.toLowerCase(), p);
    this.fuse = new Fuse(this.entries, {
      keys: [
        { name: 'norm', weight: 1 },
        { name: 'aliases', weight: 0.7 },
      ],
      includeScore: true,
      ignoreLocation: true,
      threshold: 0.4,
      minMatchCharLength: 2,
    });
  }

  /** Resolve one paper; throws `AmbiguousPaperError` or `UserFacingError('unknown-paper')`. */
  resolve(input: string): Paper {
    const raw = input.trim();
    if (!raw) throw new UserFacingError('empty-input', 'Please name a paper — it was empty.');

    const byId = this.byId.get(raw.toLowerCase());
    if (byId) return byId;
    const byUrl = this.papers.filter((p) => p.url === raw);
    if (byUrl.length === 1) return byUrl[0]!;

    const exact = this.entries.filter((e) => e.paper.title.trim() === raw);
    if (exact.length) return this.single(input, exact);

    const cleaned = stripFiller(raw);
    for (const variant of new Set([raw, cleaned])) {
      const key = compact(variant);
      if (!key) continue;
      const sameTitle = this.entries.filter((e) => e.compact === key);
      if (sameTitle.length) return this.single(input, sameTitle);
      const alias = this.entries.filter((e) => e.aliases.includes(key));
      if (alias.length) return this.single(input, alias);
    }

    // A clear beginning of a title: "Learning to Prompt" → "Learning to Prompt for Continual Learning".
    const norm = normalizeTitle(cleaned);
    if (norm.length >= 10 && norm.includes(' ')) {
      const prefixed = this.entries.filter((e) => e.norm.startsWith(`${norm} `) || e.norm.startsWith(`${norm}:`));
      if (prefixed.length) return this.single(input, prefixed);
    }

    // A word or phrase several titles contain ("RLHF", "prompt tuning", "survey") names none of them;
    // a paper's distinctive name (its head before ':' or its acronym) was resolved above.
    if (norm) {
      const containing = this.entries.filter((e) => ` ${e.norm} `.includes(` ${norm} `));
      if (containing.length > 1) return this.single(input, containing);
    }

    // A whole title with typos: character-trigram similarity (Fuse's bitap is weak on long patterns).
    if (norm.length >= 16) {
      const grams = trigrams(norm);
      const scored = this.entries.map((e) => ({ e, sim: dice(grams, e.trigrams) })).sort((a, b) => b.sim - a.sim);
      const [first, second] = scored;
      if (first && first.sim >= 0.7) {
        if (!second || second.sim < first.sim - 0.1) return first.e.paper;
        throw new AmbiguousPaperError(input.trim(), scored.filter((s) => s.sim >= first.sim - 0.1).slice(0, MAX_CANDIDATES).map((s) => toCandidate(s.e.paper)));
      }
    }

    const results = this.fuse.search(cleaned || raw, { limit: MAX_CANDIDATES });
    const best = results[0];
    if (best && (best.score ?? 1) <= 0.25) {
      const close = results.filter((r) => (r.score ?? 1) - (best.score ?? 0) < 0.08);
      if (close.length === 1 || (best.score ?? 1) < 0.02 && (close[1]?.score ?? 1) > 0.05) return best.item.paper;
      throw new AmbiguousPaperError(input.trim(), close.map((r) => toCandidate(r.item.paper)));
    }
    const suggestions = this.suggest(cleaned || raw, 3);
    const hint = suggestions.length ? ` Closest titles: ${suggestions.map((p) => `"${p.title}"`).join('; ')}.` : '';
    throw new UserFacingError('unknown-paper', `No paper in the corpus matches "${input.trim()}".${hint}`);
  }

  /** Papers whose title or nickname matches `input`, best first, for autocomplete. Empty input → the first papers. */
  suggest(input: string, limit = 25): Paper[] {
    const text = stripFiller(input ?? '');
    if (!text) return this.papers.slice(0, limit);
    const norm = normalizeTitle(text);
    const key = compact(text);
    const out: Paper[] = [];
    const seen = new Set<string>();
    const push = (p: Paper) => {
      if (out.length < limit && !seen.has(p.id)) {
        seen.add(p.id);
        out.push(p);
      }
    };
    if (norm) {
      for (const e of this.entries) if (e.aliases.includes(key) || e.norm.startsWith(norm)) push(e.paper);
      for (const e of this.entries) if (e.norm.includes(norm)) push(e.paper);
    }
    if (out.length < limit) for (const r of this.fuse.search(text, { limit })) push(r.item.paper);
    if (out.length < limit) {
      // Shared title words, for descriptions rather than names ("video masked pretraining at scale").
      const terms = new Set(tokenize(text));
      if (terms.size) {
        this.entries
          .map((e) => ({ e, shared: e.terms.filter((t) => terms.has(t)).length }))
          .filter((x) => x.shared > 0)
          .sort((a, b) => b.shared - a.shared || a.e.terms.length - b.e.terms.length)
          .forEach((x) => push(x.e.paper));
      }
    }
    return out;
  }

  private single(input: string, matches: readonly Entry[]): Paper {
    if (matches.length === 1) return matches[0]!.paper;
    throw new AmbiguousPaperError(input.trim(), matches.slice(0, MAX_CANDIDATES).map((e) => toCandidate(e.paper)), matches.length);
  }
}

function trigrams(text: string): Set<string> {
  const padded = `  ${text} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return a.size + b.size ? (2 * shared) / (a.size + b.size) : 0;
}

/** A nickname-like acronym: has a capital letter or digit beyond the first letter ("L2P", "CoT", "DualPrompt"), not a plain word. */
function isNameLike(token: string): boolean {
  if (!/\p{L}/u.test(token)) return false;
  return /^[\p{L}\p{N}]/u.test(token) && /[\p{Lu}\p{N}]/u.test(token.slice(1));
}

/** Resolve user text to one paper (builds a resolver; prefer a shared `PaperResolver` for repeated lookups). */
export function resolvePaper(papers: readonly Paper[], input: string): Paper {
  return new PaperResolver(papers).resolve(input);
}

/** Autocomplete suggestions (builds a resolver; prefer a shared `PaperResolver` for repeated lookups). */
export function suggestPapers(papers: readonly Paper[], input: string, limit = 25): Paper[] {
  return new PaperResolver(papers).suggest(input, limit);
}
