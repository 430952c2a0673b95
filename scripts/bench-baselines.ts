/**
 * Baseline retrievers for the benchmark, as PaperSearchers: plain BM25 from @langchain/community and
 * stemmed BM25 with wink-bm25-text-search + wink-nlp (the "measured in the notes" baseline).
 */
import { createRequire } from 'node:module';
import { Document } from '@langchain/core/documents';
import { BM25Retriever } from '@langchain/community/retrievers/bm25';
import type { Paper } from '../src/corpus/paper.js';
import type { PaperSearcher, SearchOptions, SearchResponse } from '../src/retrieval/search-types.js';

/** @langchain/community's BM25Retriever as shipped: whitespace split, lower case, no stemming, title + abstract as one text. */
export function createLangchainBm25Searcher(papers: readonly Paper[]): PaperSearcher {
  const byId = new Map(papers.map((p) => [p.id, p]));
  const docs = papers.map((p) => new Document({ pageContent: `${p.title}\n${p.abstract}`, metadata: { id: p.id } }));
  return {
    async search(query: string, options: SearchOptions = {}): Promise<SearchResponse> {
      const retriever = BM25Retriever.fromDocuments(docs, { k: options.k ?? 10, includeScore: true });
      const found = await retriever.invoke(query);
      const hits = found.map((d) => ({ paper: byId.get(String(d.metadata.id))!, score: Number(d.metadata.bm25Score ?? 0), relevant: true }));
      return { query, relevant: hits.length > 0, hits };
    },
  };
}

interface WinkEngine {
  defineConfig(config: { fldWeights: Record<string, number> }): void;
  definePrepTasks(tasks: ((text: string) => string[])[]): void;
  addDoc(doc: Record<string, string>, id: number): void;
  consolidate(): void;
  search(query: string, limit: number): [number, number][];
}

/** BM25F with wink-bm25-text-search: wink-nlp tokens, stop words removed, stemmed; title weight 2. */
export function createWinkBm25Searcher(papers: readonly Paper[]): PaperSearcher {
  const require = createRequire(import.meta.url);
  const winkNLP = require('wink-nlp') as (model: unknown) => {
    readDoc(text: string): { tokens(): { filter(f: (t: { out(x: unknown): unknown }) => boolean): { each(f: (t: { out(x: unknown): unknown }) => void): void } } };
    its: Record<string, unknown>;
  };
  const nlp = winkNLP(require('wink-eng-lite-web-model'));
  const its = nlp.its;
  const prep = (text: string): string[] => {
    const tokens: string[] = [];
    nlp
      .readDoc(text)
      .tokens()
      .filter((t) => t.out(its.type) === 'word' && !t.out(its.stopWordFlag))
      .each((t) => tokens.push(String(t.out(its.stem))));
    return tokens;
  };
  const engine = (require('wink-bm25-text-search') as () => WinkEngine)();
  engine.defineConfig({ fldWeights: { title: 2, body: 1 } });
  engine.definePrepTasks([prep]);
  papers.forEach((p, i) => engine.addDoc({ title: p.title, body: p.abstract }, i));
  engine.consolidate();
  return {
    async search(query: string, options: SearchOptions = {}): Promise<SearchResponse> {
      const hits = engine.search(query, options.k ?? 10).map(([i, score]) => ({ paper: papers[i]!, score, relevant: true }));
      return { query, relevant: hits.length > 0, hits };
    },
  };
}
