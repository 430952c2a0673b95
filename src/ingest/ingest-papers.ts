import type { Paper } from '../corpus/paper.js';
import type { Embedder } from '../embedding/embedder.js';
import { paperEmbeddingText } from '../retrieval/paper-embedding-text.js';
import { commitIndex, papersFileText } from '../store/commit-index.js';
import { assertSameEmbedder, readIndexManifest, sameCorpusStamps, updateManifestCorpus, type CorpusFileStamp } from '../store/index-manifest.js';
import { readIndexSnapshot, type IndexSnapshot } from '../store/index-snapshot.js';
import { acquireWriterLock } from '../store/writer-lock.js';
import { lexicalFingerprint, lexicalForCommit } from './stored-lexical-index.js';

export { paperEmbeddingText };

export interface IngestProgress {
  /** `embedding`: texts sent to the embedder; `writing`: vectors put into the new vectra index (done = items in it). */
  phase: 'embedding' | 'writing';
  done: number;
  total: number;
}

export interface IngestSummary {
  /** Papers new to the index (embedded). */
  added: number;
  /** Papers whose content changed (re-embedded, same id). */
  updated: number;
  /** Papers already embedded with the same content and embedder (not re-embedded). */
  unchanged: number;
  /** Papers no longer in the input, removed from the index. */
  removed: number;
  /** Input papers not ingested (a later duplicate of an id). */
  skipped: number;
  /** True when the index was built from scratch (rebuild requested or no index yet). */
  rebuilt: boolean;
  /** Papers in the index afterwards. */
  total: number;
}

export interface IngestPapersOptions {
  indexDir: string;
  papers: readonly Paper[];
  embedder: Embedder;
  /** Ignore the existing index (also the way to switch embedders or repair an unreadable index). */
  rebuild?: boolean;
  onProgress?: (progress: IngestProgress) => void;
  /** Texts per embedder call (default 64). */
  batchSize?: number;
  /** Corpus file stamps to record in the manifest (see openOrBuildIndex). */
  corpus?: CorpusFileStamp[];
  /** Wait this long for another writer before failing with IndexLockedError (default 0: fail at once). */
  lockWaitMs?: number;
}

function checkVectors(embedder: Embedder, vectors: number[][], expected: number): void {
  if (!Array.isArray(vectors) || vectors.length !== expected) {
    throw new Error(`Embedder ${embedder.id} returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${expected} texts`);
  }
  for (const vector of vectors) {
    if (vector.length !== embedder.dimensions) {
      throw new Error(`Embedder ${embedder.id} returned a ${vector.length}-d vector; it declares ${embedder.dimensions}`);
    }
    if (!vector.every(Number.isFinite)) throw new Error(`Embedder ${embedder.id} returned a vector with non-finite values`);
  }
}

/**
 * commitIndex asks for lexical.json only once index.json is written (see CommitIndexInput.lexical):
 * drop the vectors then, so they are not held while the lexical index is built (were the order ever
 * to change, vectorFor would fail loudly with "No vector for paper", never write a wrong index).
 */
function lexicalReleasingVectors<T>(lexical: { fingerprint: string; json: () => T }, release: () => void): { fingerprint: string; json: () => T } {
  return {
    fingerprint: lexical.fingerprint,
    json: () => {
      release();
      return lexical.json();
    },
  };
}

/**
 * Bring the index in `indexDir` up to date with `papers`, under the writer lock: embed only papers
 * that are new or whose contentHash changed, drop papers no longer present, and commit atomically.
 * Throws IndexLockedError when another ingest runs, EmbedderMismatchError when the index was built by
 * another embedder (unless `rebuild`), IndexCorruptError when the existing index is unreadable
 * (unless `rebuild`).
 */
export async function ingestPapers(options: IngestPapersOptions): Promise<IngestSummary> {
  const { indexDir, embedder } = options;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
  const lock = await acquireWriterLock(indexDir, { waitMs: options.lockWaitMs ?? 0 });
  try {
    const snapshot: IndexSnapshot | undefined = options.rebuild ? undefined : await readIndexSnapshot(indexDir);
    if (snapshot) assertSameEmbedder(indexDir, snapshot.manifest, embedder);
    // On a rebuild the old generation stays on disk until the next commit, for readers that have it open.
    const replaced = snapshot?.manifest ?? (await readIndexManifest(indexDir).catch(() => undefined));

    const papers: Paper[] = [];
    const seen = new Set<string>();
    let skipped = 0;
    for (const paper of options.papers) {
      if (seen.has(paper.id)) {
        skipped += 1;
        continue;
      }
      seen.add(paper.id);
      papers.push(paper);
    }

    const previousHashes = snapshot?.manifest.contentHashes ?? {};
    const toEmbed: Paper[] = [];
    let added = 0;
    let updated = 0;
    for (const paper of papers) {
      const previousHash = Object.hasOwn(previousHashes, paper.id) ? previousHashes[paper.id] : undefined;
      if (previousHash === undefined) {
        added += 1;
        toEmbed.push(paper);
      } else if (previousHash !== paper.contentHash || !snapshot?.vectors.has(paper.id)) {
        updated += 1;
        toEmbed.push(paper);
      }
    }
    const removed = snapshot ? snapshot.papers.filter((paper) => !seen.has(paper.id)).length : 0;
    const unchanged = papers.length - toEmbed.length;
    const summary: IngestSummary = { added, updated, unchanged, removed, skipped, rebuilt: !snapshot, total: papers.length };

    // Float32Array: half the memory of number[] (stored vectors have float32 precision anyway).
    const fresh = new Map<string, Float32Array>();
    options.onProgress?.({ phase: 'embedding', done: 0, total: toEmbed.length });
    for (let start = 0; start < toEmbed.length; start += batchSize) {
      const batch = toEmbed.slice(start, start + batchSize);
      const vectors = await embedder.embed(batch.map(paperEmbeddingText));
      checkVectors(embedder, vectors, batch.length);
      batch.forEach((paper, i) => fresh.set(paper.id, Float32Array.from(vectors[i]!)));
      options.onProgress?.({ phase: 'embedding', done: start + batch.length, total: toEmbed.length });
    }

    const corpus = options.corpus ?? snapshot?.manifest.corpus;
    if (snapshot && toEmbed.length === 0 && removed === 0) {
      // Same vectors: rewrite nothing, or only the catalog / the corpus stamps.
      // Also when the stored lexical index is missing or was made by other tokenizer code.
      if (papersFileText(papers) !== snapshot.papersJson || snapshot.manifest.lexical?.fingerprint !== lexicalFingerprint()) {
        await commitIndex({ indexDir, lock, previous: snapshot.manifest, embedder, papers, vectors: { kind: 'reuse' }, corpus, lexical: lexicalForCommit(papers) });
      } else if (!sameCorpusStamps(corpus, snapshot.manifest.corpus)) {
        await updateManifestCorpus(indexDir, lock, snapshot.manifest, corpus ?? []);
      }
      options.onProgress?.({ phase: 'writing', done: papers.length, total: papers.length });
      return summary;
    }

    const vectorFor = (id: string): ArrayLike<number> => {
      const vector = fresh.get(id) ?? snapshot?.vectors.get(id);
      if (!vector) throw new Error(`No vector for paper ${id}`);
      return vector;
    };
    options.onProgress?.({ phase: 'writing', done: 0, total: papers.length });
    await commitIndex({
      indexDir,
      lock,
      previous: replaced,
      embedder,
      papers,
      // With a readable previous index, vectra updates it in place of a rebuild (only changed papers inserted).
      vectors: snapshot ? { kind: 'update', vectorFor, changed: new Set(toEmbed.map((paper) => paper.id)) } : { kind: 'write', vectorFor },
      corpus,
      lexical: lexicalReleasingVectors(lexicalForCommit(papers), () => {
        fresh.clear();
        snapshot?.vectors.clear();
      }),
      onWriteProgress: (done, total) => options.onProgress?.({ phase: 'writing', done, total }),
    });
    return summary;
  } finally {
    await lock.release();
  }
}
