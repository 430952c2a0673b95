import { parenthesizedAcronyms } from '../corpus/extract-aliases.js';
import type { PaperEntry } from '../corpus/paper.js';
import { normalizeTitle } from '../corpus/normalize-title.js';
import { tokenize } from '../text/tokenize.js';

export { normalizeTitle };

/** A name without spaces: "Video-MAE v2" → "videomaev2". */
export const compactName = (text: string): string => normalizeTitle(text).replace(/ /g, '');

/** Character trigrams of a normalised text, padded so word starts and ends count. */
export function trigrams(text: string): Set<string> {
  const padded = `  ${text} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** Dice coefficient of two trigram sets (1 = the same trigrams). */
export function dice(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return a.size + b.size ? (2 * shared) / (a.size + b.size) : 0;
}

/**
 * Every name a paper answers to besides its title: the head before ':' (when short), acronyms the
 * title defines, and acronyms its abstract defines that no other paper defines ("L2P", not "LLMs").
 * More alias sources (e.g. method names from the abstract) are one more spread here.
 */
function aliasNames(paper: PaperEntry, uniqueAbstractAcronyms: readonly string[]): string[] {
  const head = paper.title.split(/:\s/)[0]!;
  const shortHead = head.length < paper.title.length && head.split(/\s+/).length <= 6 ? [head] : [];
  return [...shortHead, ...parenthesizedAcronyms(paper.title), ...uniqueAbstractAcronyms];
}

/** One paper as the name index sees it. */
export interface NameEntry<P extends PaperEntry = PaperEntry> {
  /** Position in corpus order (postings hold these). */
  readonly index: number;
  readonly paper: P;
  readonly norm: string;
  readonly compact: string;
  /** Compacted nicknames. */
  readonly aliases: readonly string[];
  /** Distinct search terms of the title. */
  readonly terms: readonly string[];
}

/** How much one lookup may do; past it the lookup answers from what it has seen. */
export interface MatchLimits {
  /** Postings entries visited and cheap checks (integer work). */
  visits: number;
  /** Candidates scored with a string similarity (trigram Dice, fuzzy bitap). */
  scored: number;
  /** Candidates handed to one fuzzy stage. */
  perStage: number;
}

export const DEFAULT_MATCH_LIMITS: MatchLimits = { visits: 50_000, scored: 256, perStage: 64 };

/** What one lookup did (pass one in to read it afterwards). */
export interface MatchWork {
  visits: number;
  scored: number;
}

export const newMatchWork = (): MatchWork => ({ visits: 0, scored: 0 });

type Postings = Map<string, Int32Array>;

function freeze(lists: Map<string, number[]>): Postings {
  const out: Postings = new Map();
  for (const [key, list] of lists) out.set(key, Int32Array.from(list));
  return out;
}

function post(lists: Map<string, number[]>, key: string, index: number): void {
  const list = lists.get(key);
  if (!list) lists.set(key, [index]);
  else if (list[list.length - 1] !== index) list.push(index);
}

/** A paper's abstract acronyms: as loaded (`acronyms`), else read from its abstract when it has one. */
function abstractAcronymsOf(paper: PaperEntry & { abstract?: string }): readonly string[] {
  return paper.acronyms ?? (paper.abstract === undefined ? [] : parenthesizedAcronyms(paper.abstract));
}

function buildEntries<P extends PaperEntry>(papers: readonly P[]): NameEntry<P>[] {
  const abstractAcronyms = papers.map((p) => [...new Set([...abstractAcronymsOf(p), ...(p.aliases ?? [])])]);
  const definedBy = new Map<string, number>();
  for (const list of abstractAcronyms) for (const a of list) definedBy.set(compactName(a), (definedBy.get(compactName(a)) ?? 0) + 1);
  return papers.map((paper, index) => {
    const unique = abstractAcronyms[index]!.filter((a) => definedBy.get(compactName(a)) === 1);
    const aliases = new Set(aliasNames(paper, unique).map(compactName));
    aliases.delete('');
    const norm = normalizeTitle(paper.title);
    return { index, paper, norm, compact: compactName(paper.title), aliases: [...aliases], terms: [...new Set(tokenize(paper.title))] };
  });
}

/**
 * Lookup structures over paper names, built once per corpus: exact maps (id, url, title, compact
 * title, alias), title words, title terms and name trigrams as postings (ascending corpus order), and
 * titles in sorted order for prefix ranges. Every lookup is bounded by `MatchLimits`.
 */
export class PaperNameIndex<P extends PaperEntry = PaperEntry> {
  readonly entries: readonly NameEntry<P>[];
  readonly limits: MatchLimits;
  private readonly byId = new Map<string, P>();
  private readonly byUrl = new Map<string, P[]>();
  private readonly byTitle = new Map<string, NameEntry<P>[]>();
  private readonly byCompact = new Map<string, NameEntry<P>[]>();
  private readonly byAlias = new Map<string, NameEntry<P>[]>();
  private readonly wordPostings: Postings;
  private readonly termPostings: Postings;
  private readonly gramPostings: Postings;
  /** Entry indices sorted by `norm`. */
  private readonly sorted: Int32Array;
  /** Per-entry counters for one lookup at a time (zeroed after use). */
  private readonly counters: Uint16Array;

  constructor(papers: readonly P[], limits: Partial<MatchLimits> = {}) {
    this.limits = { ...DEFAULT_MATCH_LIMITS, ...limits };
    this.entries = buildEntries(papers);
    const words = new Map<string, number[]>();
    const terms = new Map<string, number[]>();
    const grams = new Map<string, number[]>();
    for (const e of this.entries) {
      this.byId.set(e.paper.id.toLowerCase(), e.paper);
      push(this.byUrl, e.paper.url, e.paper);
      push(this.byTitle, e.paper.title.trim(), e);
      push(this.byCompact, e.compact, e);
      for (const alias of e.aliases) push(this.byAlias, alias, e);
      for (const word of e.norm.split(' ')) if (word) post(words, word, e.index);
      for (const term of e.terms) post(terms, term, e.index);
      for (const gram of nameTrigrams(e)) post(grams, gram, e.index);
    }
    this.wordPostings = freeze(words);
    this.termPostings = freeze(terms);
    this.gramPostings = freeze(grams);
    this.counters = new Uint16Array(this.entries.length);
    this.sorted = Int32Array.from(this.entries.map((e) => e.index)).sort((a, b) => compare(this.entries[a]!.norm, this.entries[b]!.norm));
  }

  paperById(id: string): P | undefined {
    return this.byId.get(id.toLowerCase());
  }
  papersByUrl(url: string): readonly P[] {
    return this.byUrl.get(url) ?? [];
  }
  withTitle(title: string): readonly NameEntry<P>[] {
    return this.byTitle.get(title) ?? [];
  }
  withCompactTitle(key: string): readonly NameEntry<P>[] {
    return this.byCompact.get(key) ?? [];
  }
  withAlias(key: string): readonly NameEntry<P>[] {
    return this.byAlias.get(key) ?? [];
  }

  /** Entries whose normalised title starts with `prefix`, in corpus order. */
  withTitlePrefix(prefix: string, work: MatchWork): NameEntry<P>[] {
    const found: number[] = [];
    for (let i = this.lowerBound(prefix); i < this.sorted.length && work.visits < this.limits.visits; i++) {
      work.visits++;
      const entry = this.entries[this.sorted[i]!]!;
      if (!entry.norm.startsWith(prefix)) break;
      found.push(entry.index);
    }
    return this.inOrder(found);
  }

  /** Entries whose normalised title contains `phrase` as whole words, in corpus order. */
  withPhrase(phrase: string, work: MatchWork): NameEntry<P>[] {
    const words = phrase.split(' ');
    const rarest = this.rarest(words.map((w) => this.wordPostings.get(w)));
    if (!rarest) return [];
    const padded = ` ${phrase} `;
    return this.verify(rarest, (e) => ` ${e.norm} `.includes(padded), Number.POSITIVE_INFINITY, work);
  }

  /** Up to `limit` entries whose normalised title contains `text` anywhere, in corpus order. */
  containing(text: string, limit: number, work: MatchWork): NameEntry<P>[] {
    const inner = [...trigrams(text)].filter((g) => !g.startsWith(' ') && !g.endsWith(' '));
    const rarest = inner.length ? this.rarest(inner.map((g) => this.gramPostings.get(g))) : undefined;
    if (inner.length && !rarest) return [];
    return this.verify(rarest, (e) => e.norm.includes(text), limit, work);
  }

  /** Entries sharing title terms with `terms`, most shared first (then shorter titles, then corpus order). */
  sharingTerms(terms: ReadonlySet<string>, limit: number, work: MatchWork): NameEntry<P>[] {
    const byCount = this.count([...terms].map((t) => this.termPostings.get(t)), work);
    return mostCounted(byCount, limit, (a, b) => this.entries[a]!.terms.length - this.entries[b]!.terms.length || a - b).map((i) => this.entries[i]!);
  }

  /**
   * The `limits.perStage` entries sharing the most name trigrams (title and nicknames) with `text`,
   * in corpus order: the only ones a fuzzy stage scores. Rare trigrams are counted first; common
   * ones are skipped once the visit budget is spent.
   */
  nearCandidates(text: string, work: MatchWork): NameEntry<P>[] {
    const byCount = this.count([...trigrams(text)].map((g) => this.gramPostings.get(g)), work);
    return this.inOrder(mostCounted(byCount, this.limits.perStage, (a, b) => a - b));
  }

  /** Entry indices by how many of the lists hold them (`[n]` = held by n lists); shortest lists first, within the visit budget. */
  private count(lists: (Int32Array | undefined)[], work: MatchWork): number[][] {
    const present = lists.filter((l): l is Int32Array => l !== undefined).sort((a, b) => a.length - b.length);
    const counts = this.counters;
    const touched: number[] = [];
    for (const list of present) {
      if (work.visits + list.length > this.limits.visits) break;
      work.visits += list.length;
      for (const index of list) {
        if (counts[index] === 0) touched.push(index);
        counts[index]!++;
      }
    }
    const byCount: number[][] = [];
    for (const index of touched) {
      (byCount[counts[index]!] ??= []).push(index);
      counts[index] = 0;
    }
    return byCount;
  }

  private verify(candidates: Int32Array | undefined, test: (e: NameEntry<P>) => boolean, limit: number, work: MatchWork): NameEntry<P>[] {
    const out: NameEntry<P>[] = [];
    const count = candidates ? candidates.length : this.entries.length;
    for (let i = 0; i < count && out.length < limit && work.visits < this.limits.visits; i++) {
      work.visits++;
      const entry = this.entries[candidates ? candidates[i]! : i]!;
      if (test(entry)) out.push(entry);
    }
    return out;
  }

  /** The shortest list, or undefined when any is missing (nothing can contain them all). */
  private rarest(lists: (Int32Array | undefined)[]): Int32Array | undefined {
    let best: Int32Array | undefined;
    for (const list of lists) {
      if (!list) return undefined;
      if (!best || list.length < best.length) best = list;
    }
    return best;
  }

  private inOrder(indices: number[]): NameEntry<P>[] {
    return indices.sort((a, b) => a - b).map((i) => this.entries[i]!);
  }

  private lowerBound(prefix: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.entries[this.sorted[mid]!]!.norm, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The `limit` indices with the highest counts (`byCount[n]` holds those counted n times); ties ordered by `tieOrder`. */
function mostCounted(byCount: number[][], limit: number, tieOrder: (a: number, b: number) => number): number[] {
  const out: number[] = [];
  for (let count = byCount.length - 1; count > 0 && out.length < limit; count--) {
    const group = byCount[count];
    if (group) out.push(...firstInOrder(group, limit - out.length, tieOrder));
  }
  return out;
}

/** The first `n` of `items` in `order`, without sorting all of them. */
function firstInOrder(items: number[], n: number, order: (a: number, b: number) => number): number[] {
  if (items.length <= n) return items.sort(order);
  const kept: number[] = [];
  for (const item of items) {
    if (kept.length === n && order(item, kept[n - 1]!) >= 0) continue;
    let at = kept.length;
    while (at > 0 && order(item, kept[at - 1]!) < 0) at--;
    kept.splice(at, 0, item);
    if (kept.length > n) kept.pop();
  }
  return kept;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Code-unit order (what `startsWith` agrees with). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function nameTrigrams(entry: NameEntry): Set<string> {
  const all = trigrams(entry.norm);
  for (const alias of entry.aliases) for (const g of trigrams(alias)) all.add(g);
  return all;
}
