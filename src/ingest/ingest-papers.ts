import type { Paper } from '../corpus/paper.js';
import type { Embedder } from '../embedding/embedder.js';
import { paperEmbeddingText } from '../retrieval/paper-embedding-text.js';
import { commitIndex, papersFileText } from '../store/commit-index.js';
import { assertSameEmbedder, readIndexManifest, sameCorpusStamps, updateManifestCorpus, type CorpusFileStamp } from '../store/index-manifest.js';
import { readIndexSnapshot, type IndexSnapshot } from '../store/index-snapshot.js';
import { withWriterLock, type WriterLock } from '../store/writer-lock.js';
import { lexicalFingerprint, lexicalForCommit } from './stored-lexical-index.js';

export { paperEmbeddingText };

/** Texts per embedder call unless asked otherwise. */
const DEFAULT_BATCH_SIZE = 64;

export interface IngestProgress {
  /** `embedding`: texts sent to the embedder; `writing`: vectors put into the new index (done = items in it). */
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

export interface UpdateIndexOptions {
  indexDir: string;
  papers: readonly Paper[];
  embedder: Embedder;
  /** Ignore the existing index (also the way to switch embedders or repair an unreadable index). */
  rebuild?: boolean | undefined;
  onProgress?: ((progress: IngestProgress) => void) | undefined;
  /** Texts per embedder call (default 64). */
  batchSize?: number | undefined;
  /** Corpus file stamps to record in the manifest (see openOrBuildIndex). */
  corpus?: CorpusFileStamp[] | undefined;
}

export interface IngestPapersOptions extends UpdateIndexOptions {
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

interface IngestPlan {
  /** The input papers without later duplicates of an id. */
  papers: Paper[];
  /** New or changed papers: to embed. */
  toEmbed: Paper[];
  summary: IngestSummary;
}

/** Compare the input with the current index: what to embed, and the counts of the summary. */
function planIngest(input: readonly Paper[], snapshot: IndexSnapshot | undefined): IngestPlan {
  const papers: Paper[] = [];
  const seen = new Set<string>();
  for (const paper of input) {
    if (seen.has(paper.id)) continue;
    seen.add(paper.id);
    papers.push(paper);
  }
  const previousHashes = snapshot?.manifest.contentHashes ?? {};
  const toEmbed: Paper[] = [];
  let added = 0;
  for (const paper of papers) {
    const previousHash = Object.hasOwn(previousHashes, paper.id) ? previousHashes[paper.id] : undefined;
    if (previousHash === undefined) added += 1;
    if (previousHash !== paper.contentHash || !snapshot?.vectors.has(paper.id)) toEmbed.push(paper);
  }
  const removed = snapshot ? snapshot.papers.filter((paper) => !seen.has(paper.id)).length : 0;
  const summary: IngestSummary = {
    added,
    updated: toEmbed.length - added,
    unchanged: papers.length - toEmbed.length,
    removed,
    skipped: input.length - papers.length,
    rebuilt: !snapshot,
    total: papers.length,
  };
  return { papers, toEmbed, summary };
}

/** Embed `papers` in batches, checking every vector (Float32Array: stored vectors have float32 precision anyway). */
async function embedPapers(embedder: Embedder, papers: readonly Paper[], batchSize: number, onProgress: UpdateIndexOptions['onProgress']): Promise<Map<string, Float32Array>> {
  const fresh = new Map<string, Float32Array>();
  onProgress?.({ phase: 'embedding', done: 0, total: papers.length });
  for (let start = 0; start < papers.length; start += batchSize) {
    const batch = papers.slice(start, start + batchSize);
    const vectors = await embedder.embed(batch.map(paperEmbeddingText));
    checkVectors(embedder, vectors, batch.length);
    batch.forEach((paper, i) => fresh.set(paper.id, Float32Array.from(vectors[i]!)));
    onProgress?.({ phase: 'embedding', done: start + batch.length, total: papers.length });
  }
  return fresh;
}

/** Same vectors as the snapshot: rewrite only the catalog (order, lexical index) or the corpus stamps, if they changed. */
async function refreshWithoutEmbedding(lock: WriterLock, options: UpdateIndexOptions, snapshot: IndexSnapshot, papers: readonly Paper[]): Promise<void> {
  const { indexDir, embedder } = options;
  const corpus = options.corpus ?? snapshot.manifest.corpus;
  if (papersFileText(papers) !== snapshot.papersJson || snapshot.manifest.lexical?.fingerprint !== lexicalFingerprint()) {
    await commitIndex({ indexDir, lock, previous: snapshot.manifest, embedder, papers, vectors: { kind: 'reuse' }, corpus, lexical: lexicalForCommit(papers) });
  } else if (!sameCorpusStamps(corpus, snapshot.manifest.corpus)) {
    await updateManifestCorpus(indexDir, lock, snapshot.manifest, corpus ?? []);
  }
  options.onProgress?.({ phase: 'writing', done: papers.length, total: papers.length });
}

/**
 * Bring the index in `indexDir` up to date with `papers`, under the held writer lock: embed only
 * papers that are new or whose contentHash changed, drop papers no longer present, and commit
 * atomically. Throws EmbedderMismatchError when the index was built by another embedder and
 * IndexCorruptError when the existing index is unreadable (both unless `rebuild`).
 */
export async function updateIndex(lock: WriterLock, options: UpdateIndexOptions): Promise<IngestSummary> {
  const { indexDir, embedder } = options;
  const snapshot = options.rebuild ? undefined : await readIndexSnapshot(indexDir);
  if (snapshot) assertSameEmbedder(indexDir, snapshot.manifest, embedder);
  // On a rebuild the old generation stays on disk until the next commit, for readers that have it open.
  const replaced = snapshot?.manifest ?? (await readIndexManifest(indexDir).catch(() => undefined));
  const { papers, toEmbed, summary } = planIngest(options.papers, snapshot);

  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  const fresh = await embedPapers(embedder, toEmbed, batchSize, options.onProgress);
  if (snapshot && toEmbed.length === 0 && summary.removed === 0) {
    await refreshWithoutEmbedding(lock, options, snapshot, papers);
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
    // With a readable previous index, only the changed papers are inserted into a copy of it.
    vectors: snapshot ? { kind: 'update', vectorFor, changed: new Set(toEmbed.map((paper) => paper.id)) } : { kind: 'write', vectorFor },
    corpus: options.corpus ?? snapshot?.manifest.corpus,
    lexical: lexicalReleasingVectors(lexicalForCommit(papers), () => {
      fresh.clear();
      snapshot?.vectors.clear();
    }),
    onWriteProgress: (done, total) => options.onProgress?.({ phase: 'writing', done, total }),
  });
  return summary;
}

/** updateIndex under the writer lock of `indexDir` (IndexLockedError when another ingest runs). */
export async function ingestPapers(options: IngestPapersOptions): Promise<IngestSummary> {
  return withWriterLock(options.indexDir, { waitMs: options.lockWaitMs ?? 0 }, (lock) => updateIndex(lock, options));
}
