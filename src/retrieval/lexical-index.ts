import type { Paper } from '../corpus/paper.js';
import { tokenize } from '../text/tokenize.js';

/** BM25 parameters and the title weight (title terms count `titleWeight` times). */
export interface LexicalParams {
  k1: number;
  b: number;
  titleWeight: number;
}

export const DEFAULT_LEXICAL_PARAMS: LexicalParams = { k1: 1.2, b: 0.75, titleWeight: 2 };

export interface LexicalMatch {
  id: string;
  /** Raw BM25 score (≥ 0). */
  score: number;
  /**
   * Share of the query's IDF mass this document matches, in [0, 1] (query terms unknown to the
   * corpus count with the maximal IDF). Low for queries the corpus has no words for.
   */
  coverage: number;
}

interface Posting {
  docs: number[];
  tfs: number[];
}

interface LexicalJson {
  format: 'paperbot-lexical';
  version: 1;
  params: LexicalParams;
  ids: (string | null)[];
  lengths: number[];
  postings: Record<string, [number[], number[]]>;
}

/** A query's distinct terms with their IDFs. */
export function weightQueryTerms(query: string, idf: (term: string) => number): { term: string; idf: number }[] {
  return [...new Set(tokenize(query))].map((term) => ({ term, idf: idf(term) }));
}

/** TF-IDF term weights of a text (for lexical similarity between documents, e.g. MMR). */
export function tfIdfWeights(text: string, idf: (term: string) => number): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of tokenize(text)) tf.set(t, (tf.get(t) ?? 0) + 1);
  const out = new Map<string, number>();
  for (const [t, n] of tf) out.set(t, (1 + Math.log(n)) * idf(t));
  return out;
}

/** BM25's inverse document frequency of a term in `df` of `n` papers (never negative). */
export function bm25Idf(df: number, n: number): number {
  const papers = Math.max(n, 1);
  const d = Math.min(df, papers);
  return Math.log(1 + (papers - d + 0.5) / (d + 0.5));
}

/** Whether JSON.stringify orders this object key as an array index (canonical uint32 below 2^32 - 1). */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4_294_967_295;
}

/**
 * A BM25 index over title + abstract, tokenised with the shared `tokenize` (stop words, Porter
 * stems, hyphen parts). Serialisable, with cheap add / remove (removal is a tombstone).
 */
export class LexicalIndex {
  private readonly ids: (string | null)[] = [];
  private readonly lengths: number[] = [];
  private readonly postings = new Map<string, Posting>();
  private readonly slotOf = new Map<string, number>();
  private liveCount = 0;
  private totalLength = 0;

  private constructor(readonly params: LexicalParams) {}

  static build(papers: readonly Paper[], params: Partial<LexicalParams> = {}): LexicalIndex {
    const index = new LexicalIndex({ ...DEFAULT_LEXICAL_PARAMS, ...params });
    for (const paper of papers) index.add(paper);
    return index;
  }

  static fromJSON(json: string): LexicalIndex {
    const data = JSON.parse(json) as LexicalJson;
    if (data?.format !== 'paperbot-lexical' || data.version !== 1) throw new Error('not a paperbot lexical index (version 1)');
    const index = new LexicalIndex(data.params);
    index.ids.push(...data.ids);
    index.lengths.push(...data.lengths);
    data.ids.forEach((id, slot) => {
      if (id === null) return;
      index.slotOf.set(id, slot);
      index.liveCount++;
      index.totalLength += data.lengths[slot] ?? 0;
    });
    for (const [term, [docs, tfs]] of Object.entries(data.postings)) index.postings.set(term, { docs, tfs });
    return index;
  }

  toJSON(): string {
    return [...this.toJSONChunks()].join('');
  }

  /**
   * The same JSON text as toJSON, in chunks of about `chunkChars` characters, so a large index can be
   * streamed to a file without ever holding its whole serialisation (or a copy of its postings). The
   * default stays below V8's large-object size (128 KiB), so chunks are short-lived young garbage.
   * The bytes equal JSON.stringify of { format, version, params, ids, lengths, postings } with the
   * postings of removed papers dropped and terms left without postings omitted; terms that are
   * array indices ("7", "2024") come first in ascending order, as JSON.stringify orders such keys.
   */
  *toJSONChunks(chunkChars = 48 * 1024): Generator<string> {
    yield `{"format":"paperbot-lexical","version":1,"params":${JSON.stringify(this.params)},"ids":${JSON.stringify(this.ids)},"lengths":${JSON.stringify(this.lengths)},"postings":{`;
    const indexTerms: string[] = [];
    const otherTerms: string[] = [];
    for (const term of this.postings.keys()) (isArrayIndex(term) ? indexTerms : otherTerms).push(term);
    indexTerms.sort((a, b) => Number(a) - Number(b));
    let buffer = '';
    let first = true;
    for (const terms of [indexTerms, otherTerms]) {
      for (const term of terms) {
        let { docs, tfs } = this.postings.get(term)!;
        if (docs.some((d) => this.ids[d] === null)) {
          const live = docs.map((d) => this.ids[d] !== null);
          docs = docs.filter((_, i) => live[i]);
          tfs = tfs.filter((_, i) => live[i]);
        }
        if (docs.length === 0) continue;
        buffer += `${first ? '' : ','}${JSON.stringify(term)}:[[${docs.join(',')}],[${tfs.join(',')}]]`;
        first = false;
        if (buffer.length >= chunkChars) {
          yield buffer;
          buffer = '';
        }
      }
    }
    yield `${buffer}}}`;
  }

  get size(): number {
    return this.liveCount;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Add (or replace) one paper. */
  add(paper: Pick<Paper, 'id' | 'title' | 'abstract'>): void {
    if (this.slotOf.has(paper.id)) this.remove(paper.id);
    const slot = this.ids.length;
    const tf = new Map<string, number>();
    for (const t of tokenize(paper.title)) tf.set(t, (tf.get(t) ?? 0) + this.params.titleWeight);
    for (const t of tokenize(paper.abstract)) tf.set(t, (tf.get(t) ?? 0) + 1);
    let length = 0;
    for (const [term, n] of tf) {
      length += n;
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = { docs: [], tfs: [] }));
      p.docs.push(slot);
      p.tfs.push(n);
    }
    this.ids.push(paper.id);
    this.lengths.push(length);
    this.slotOf.set(paper.id, slot);
    this.liveCount++;
    this.totalLength += length;
  }

  /** Remove a paper (returns false when unknown). */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.ids[slot] = null;
    this.slotOf.delete(id);
    this.liveCount--;
    this.totalLength -= this.lengths[slot] ?? 0;
    return true;
  }

  /** In how many papers a (stemmed) term occurs. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** Inverse document frequency of a (stemmed) term; unknown terms get the maximal IDF. */
  idf(term: string): number {
    return bm25Idf(this.postings.get(term)?.docs.length ?? 0, this.liveCount);
  }

  /** Distinct query terms with their IDF. */
  queryTerms(query: string): { term: string; idf: number }[] {
    return weightQueryTerms(query, (term) => this.idf(term));
  }

  /** Top-k papers by BM25 for a free-text query (best first). */
  search(query: string, k: number): LexicalMatch[] {
    return this.searchTerms(this.queryTerms(query), k);
  }

  /** Whether a (stemmed) term occurs in the index. */
  hasTerm(term: string): boolean {
    return this.postings.has(term);
  }

  /**
   * Top-k papers for explicit weighted terms (e.g. a query plus expansion terms). `weight`
   * multiplies the term's contribution (default 1); coverage counts weight-scaled IDF mass of the
   * terms with `coverage !== false` (so expansion terms can rank without inflating coverage).
   */
  searchTerms(queryTerms: readonly { term: string; idf?: number; weight?: number; coverage?: boolean }[], k: number): LexicalMatch[] {
    const terms = queryTerms.map((t) => ({ term: t.term, idf: (t.idf ?? this.idf(t.term)) * (t.weight ?? 1), covers: t.coverage !== false }));
    if (!terms.length || this.liveCount === 0 || k <= 0) return [];
    const { k1, b } = this.params;
    const avgdl = this.totalLength / this.liveCount || 1;
    const slots = this.ids.length;
    const scores = new Float64Array(slots);
    const mass = new Float64Array(slots);
    const seen = new Uint8Array(slots);
    const touched: number[] = [];
    let totalIdf = 0;
    for (const { term, idf, covers } of terms) {
      if (covers) totalIdf += idf;
      const p = this.postings.get(term);
      if (!p) continue;
      const { docs, tfs } = p;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        const tf = tfs[i]!;
        if (seen[d] === 0) {
          seen[d] = 1;
          touched.push(d);
        }
        scores[d]! += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.lengths[d]!) / avgdl));
        if (covers) mass[d]! += idf;
      }
    }
    // Top-k by a bounded insertion list (k ≪ number of touched documents).
    const top: number[] = [];
    const better = (x: number, y: number) => scores[x]! > scores[y]! || (scores[x] === scores[y] && x < y);
    for (const d of touched) {
      if (this.ids[d] === null) continue;
      if (top.length === k && !better(d, top[k - 1]!)) continue;
      let i = top.length;
      while (i > 0 && better(d, top[i - 1]!)) i--;
      top.splice(i, 0, d);
      if (top.length > k) top.pop();
    }
    return top.map((d) => ({ id: this.ids[d]!, score: scores[d]!, coverage: totalIdf > 0 ? mass[d]! / totalIdf : 0 }));
  }

  /** TF-IDF term weights of a text (for lexical similarity between documents, e.g. MMR). */
  termWeights(text: string): Map<string, number> {
    return tfIdfWeights(text, (term) => this.idf(term));
  }
}
