import type { Paper } from '../../src/corpus/paper.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { createOfflineEmbedder } from '../../src/embedding/offline-embedder.js';
import { withDistinctAliases } from '../../src/corpus/extract-aliases.js';
import { mentionCounter } from '../../src/retrieval/match-aliases.js';
import { InMemoryVectorIndex } from '../../src/retrieval/in-memory-vector-index.js';
import { LexicalIndex } from '../../src/retrieval/lexical-index.js';
import { paperEmbeddingText } from '../../src/retrieval/paper-embedding-text.js';
import type { HybridTuning } from '../../src/retrieval/hybrid-tuning.js';
import { createHybridSearcher, type HybridSearcherDeps } from '../../src/retrieval/search-papers.js';
import { loadTestCorpus } from './load-test-corpus.js';

export interface TestRetrievalSetup {
  papers: Paper[];
  embedder: Embedder;
  lexical: LexicalIndex;
  vectors: InMemoryVectorIndex;
  makeSearcher(tuning?: Partial<HybridTuning>, more?: Pick<HybridSearcherDeps, 'assist'>): ReturnType<typeof createHybridSearcher>;
}

/** The bundled corpus (with aliases, as the app loads it), embedded with the offline embedder, in memory. */
export async function buildTestRetrieval(): Promise<TestRetrievalSetup> {
  const loaded = loadTestCorpus();
  const embedder = await createOfflineEmbedder();
  const paperVectors = await embedder.embed(loaded.map(paperEmbeddingText));
  const vectors = new InMemoryVectorIndex(loaded.map((p, i) => ({ id: p.id, vector: paperVectors[i]! })));
  const lexical = LexicalIndex.build(loaded);
  const papers = withDistinctAliases(loaded, mentionCounter(lexical));
  return {
    papers,
    embedder,
    lexical,
    vectors,
    makeSearcher: (tuning, more) => createHybridSearcher({ papers, lexical, vectors, embedder, ...(tuning ? { tuning } : {}), ...more }),
  };
}
