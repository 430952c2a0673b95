import type { LexicalParams } from '../../retrieval/lexical-index.js';

/**
 * BM25 in two reads of packed rows instead of thousands of index entries (measured in PGlite at 100k
 * papers: the same pool and exact scores in about a third of the time of the statement over the postings).
 *
 * - Each term's best TOP_POSTINGS postings by impact, packed in its row of the terms table (`top`):
 *   one row per query term gives the pool (the papers of the highest summed impacts).
 * - Each paper's terms packed in one row of the paper-terms table (`terms`, with its BM25 length): one
 *   row per pooled paper gives its exact score with the current average length and IDFs. Varints (see
 *   PAPER_TERMS_AGGREGATE_SQL): about 2 bytes a term, a quarter of fixed-width entries — BM25 reads
 *   hundreds of these rows per search, and in PGlite at 100k papers their bytes on the socket cost more
 *   than finding them (measured by hand: 400 rows' full lists 5.4 ms, a quarter of each 2.8 ms, none 2.2 ms).
 *
 * Both are written by every ingest for what it changed (migration 7 wrote them for a database from before;
 * migration 8 rewrote the term lists as varints).
 */

/** Postings kept in each term's `top` (the most BM25 reads of one term). */
export const TOP_POSTINGS = 2000;

/** Bytes of one packed posting of a term's `top`: the paper key (int4) and the impact (float4), big-endian. */
const TOP_ENTRY_BYTES = 8;

/** SQL: the `top` of the term `termExpr` (an expression, e.g. `t.term`) from the postings table, best impact first. */
export function termTopSql(postingsTable: string, termExpr: string): string {
  return `(SELECT coalesce(string_agg(int4send(s.paper_key) || float4send(s.impact), ''::bytea ORDER BY s.impact DESC), ''::bytea)
           FROM (SELECT paper_key, impact FROM ${postingsTable} WHERE term = ${termExpr} ORDER BY impact DESC LIMIT ${TOP_POSTINGS}) s)`;
}

/** SQL: `value` (an int expression, 0 ≤ value < 2^28) as an unsigned LEB128 varint: 7 bits a byte, low first, the high bit set on all but the last. */
function varintSql(value: string): string {
  const byte = (i: number, last: boolean) => `(((${value}) >> ${7 * i}) & 127)${last ? '' : ' | 128'}`;
  const bytes = (n: number) => {
    let out = `'\\x${'00'.repeat(n)}'::bytea`;
    for (let i = 0; i < n; i++) out = `set_byte(${out}, ${i}, ${byte(i, i === n - 1)})`;
    return out;
  };
  return `(CASE WHEN (${value}) < 128 THEN ${bytes(1)} WHEN (${value}) < 16384 THEN ${bytes(2)} WHEN (${value}) < 2097152 THEN ${bytes(3)} ELSE ${bytes(4)} END)`;
}

/**
 * SQL aggregate over rows `e` (a paper's postings: term id `e.term_id`, `e.step` = it minus the paper's
 * previous term id, the first counted from -1, and `e.title_tf`, `e.abstract_tf`): the paper's packed
 * `terms`. By ascending term id, each term is the varint of 2 × step + 1 when it is once in the abstract
 * and not in the title (most terms), else 2 × step followed by the varints of its title and abstract counts.
 */
export const PAPER_TERMS_AGGREGATE_SQL = `string_agg(CASE WHEN e.title_tf = 0 AND e.abstract_tf = 1 THEN ${varintSql('2 * e.step + 1')}
    ELSE ${varintSql('2 * e.step')} || ${varintSql('e.title_tf')} || ${varintSql('e.abstract_tf')} END, ''::bytea ORDER BY e.term_id)`;

/** A reader of a paper's packed `terms` (see PAPER_TERMS_AGGREGATE_SQL): `next()` moves to the next term, false past the last. */
class PackedTermsReader {
  id = -1;
  title = 0;
  abstract = 0;
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  private varint(): number {
    let value = 0;
    for (let shift = 0; shift < 28 && this.at < this.bytes.length; shift += 7) {
      const byte = this.bytes[this.at++]!;
      value |= (byte & 127) << shift;
      if (byte < 128) return value;
    }
    return value;
  }

  next(): boolean {
    if (this.at >= this.bytes.length) return false;
    const head = this.varint();
    this.id += head >>> 1;
    if (head & 1) [this.title, this.abstract] = [0, 1];
    else [this.title, this.abstract] = [this.varint(), this.varint()];
    return true;
  }
}

/** A query term as BM25 weighs it: its term id, IDF (times its weight) and whether it counts towards coverage. */
export interface PackedQueryTerm {
  id: number;
  idf: number;
  covers: boolean;
}

/** A term's packed `top` as BM25 reads it: its weight, its best postings, and how many papers hold it. */
export interface PackedTop {
  idf: number;
  top: Buffer;
  /** The term's document frequency (a term with postings past those read may be held by a paper not among them). */
  df: number;
}

/**
 * The pool of a packed BM25: the pooled papers' keys and, for each, what bounds its exact score — the
 * summed `idf × impact` of the postings it was found in (`found`) and, of the terms it was not found
 * in that have postings past those read, the summed `idf ×` the impact of the last one read (`unseen`:
 * an unread posting has no higher impact).
 */
export interface ImpactPool {
  keys: Int32Array;
  found: Float64Array;
  unseen: Float64Array;
}

/**
 * The `size` papers of the highest summed `idf × impact` over the terms' packed `top`s (the first
 * `perTerm` postings of each): a paper outside every term's best postings is not in the pool. All the
 * papers tied with the last one are kept. (Sums in an open-addressing table: tens of thousands of
 * postings per search, where a Map took several milliseconds.)
 */
export function poolByImpact(tops: readonly PackedTop[], perTerm: number, size: number): ImpactPool {
  const counts = tops.map(({ top }) => Math.min(Math.floor(top.length / TOP_ENTRY_BYTES), Math.max(0, perTerm)));
  const entries = counts.reduce((sum, n) => sum + n, 0);
  if (entries === 0 || size <= 0) return { keys: new Int32Array(0), found: new Float64Array(0), unseen: new Float64Array(0) };
  let bits = 4;
  while (1 << bits < entries * 2) bits++;
  const mask = (1 << bits) - 1;
  const slots = new Int32Array(1 << bits).fill(-1);
  const keys = new Int32Array(entries);
  const sums = new Float64Array(entries);
  // Of the terms with more postings than those read: the unseen mass a paper found in them does not have.
  const slackFound = new Float64Array(entries);
  let slackTotal = 0;
  let unbounded = false;
  let used = 0;
  tops.forEach(({ idf, top, df }, t) => {
    const view = new DataView(top.buffer, top.byteOffset, top.byteLength);
    const [read, packed] = [counts[t]!, Math.floor(top.length / TOP_ENTRY_BYTES)];
    // Postings past those read: more in `top`, a `top` cut at TOP_POSTINGS, or more papers holding the term.
    const more = read < packed || packed >= TOP_POSTINGS || read < df;
    const end = read * TOP_ENTRY_BYTES;
    // A term none of whose postings were read bounds nothing.
    if (more && end === 0) unbounded = true;
    const slack = more && end > 0 ? idf * view.getFloat32(end - 4) : 0;
    slackTotal += slack;
    for (let at = 0; at < end; at += TOP_ENTRY_BYTES) {
      const key = view.getInt32(at);
      const weight = idf * view.getFloat32(at + 4);
      let slot = Math.imul(key, 0x9e3779b1) >>> (32 - bits);
      for (;;) {
        const i = slots[slot]!;
        if (i === -1) {
          slots[slot] = used;
          keys[used] = key;
          slackFound[used] = slack;
          sums[used++] = weight;
          break;
        }
        if (keys[i] === key) {
          sums[i]! += weight;
          slackFound[i]! += slack;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  });
  let chosen: number[];
  if (used <= size) chosen = Array.from({ length: used }, (_, i) => i);
  else {
    const cut = kthLargest(sums.slice(0, used), size);
    chosen = [];
    for (let i = 0; i < used; i++) if (sums[i]! >= cut) chosen.push(i);
  }
  return {
    keys: Int32Array.from(chosen, (i) => keys[i]!),
    found: Float64Array.from(chosen, (i) => sums[i]!),
    unseen: Float64Array.from(chosen, (i) => (unbounded ? Infinity : Math.max(0, slackTotal - slackFound[i]!))),
  };
}

/**
 * How far a pooled paper's exact score can lie from its pooled sums: the impacts in `top` were computed
 * with the average length `impactAvgdl`, the exact score uses `avgdl`, and an impact moves by at most
 * their ratio (the length part of its denominator scales by it); a little more for float4 rounding.
 */
export function impactDrift(avgdl: number, impactAvgdl: number): { low: number; high: number } {
  const ratio = avgdl / impactAvgdl;
  return { low: Math.min(1, ratio) * (1 - 1e-6), high: Math.max(1, ratio) * (1 + 1e-6) };
}

/**
 * The pooled papers that can be among the pool's `k` best by exact score, best upper bound first. A
 * paper's exact score is at least `low × found` (the postings it was found in; query IDFs are not
 * negative) and at most `high × (found + unseen)`; a paper whose upper bound is below the k-th largest
 * lower bound has k papers scoring above it, so leaving it out does not change the exact top k.
 */
export function narrowPool(pool: ImpactPool, k: number, drift: { low: number; high: number }): { keys: number[]; upper: number[] } {
  const n = pool.keys.length;
  const upper = Float64Array.from(pool.found, (found, i) => drift.high * (found + pool.unseen[i]!));
  const floor = k > 0 && n > k ? kthLargest(Float64Array.from(pool.found, (found) => drift.low * found), k) : -Infinity;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (upper[i]! >= floor) order.push(i);
  order.sort((a, b) => upper[b]! - upper[a]!);
  return { keys: order.map((i) => pool.keys[i]!), upper: order.map((i) => upper[i]!) };
}

/** The k-th largest value (1-based) of `values` (reordered in place): quickselect. */
function kthLargest(values: Float64Array, k: number): number {
  let [lo, hi] = [0, values.length - 1];
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let [i, j] = [lo, hi];
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        [values[i], values[j]] = [values[j]!, values[i]!];
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target]!;
  }
  return values[target]!;
}

/** The query terms of a packed BM25, by term id in ascending order (as a paper's packed terms are). */
export interface PackedQuery {
  ids: Int32Array;
  terms: readonly PackedQueryTerm[];
}

/** The query terms sorted by id for scorePackedTerms (a term twice is counted once). */
export function packedQuery(terms: readonly PackedQueryTerm[]): PackedQuery {
  const unique = [...new Map(terms.map((term) => [term.id, term])).values()].sort((a, b) => a.id - b.id);
  return { ids: Int32Array.from(unique.map((term) => term.id)), terms: unique };
}

/** The term ids of a paper's packed `terms`, ascending. */
export function packedTermIds(terms: Uint8Array): Int32Array {
  const ids: number[] = [];
  const reader = new PackedTermsReader(terms);
  while (reader.next()) ids.push(reader.id);
  return Int32Array.from(ids);
}

/**
 * A paper's exact BM25 score (the embedded index's formula, with `avgdl`) over the query terms it holds,
 * and the IDF mass of those that count towards coverage, from its packed `terms` (ascending term ids,
 * walked once next to the query's ascending ids).
 */
export function scorePackedTerms(terms: Uint8Array, lexicalLength: number, query: PackedQuery, avgdl: number, params: LexicalParams): { score: number; mass: number } {
  const { k1, b, titleWeight } = params;
  const norm = k1 * (1 - b + (b * lexicalLength) / avgdl);
  let score = 0;
  let mass = 0;
  let q = 0;
  const reader = new PackedTermsReader(terms);
  while (q < query.ids.length && reader.next()) {
    while (q < query.ids.length && query.ids[q]! < reader.id) q++;
    if (q === query.ids.length || query.ids[q] !== reader.id) continue;
    const term = query.terms[q++]!;
    const tf = titleWeight * reader.title + reader.abstract;
    score += (term.idf * tf * (k1 + 1)) / (tf + norm);
    if (term.covers) mass += term.idf;
  }
  return { score, mass };
}
