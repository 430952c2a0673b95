import { copyFile, link, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Paper } from '../corpus/paper.js';
import { AtomicFileStorage, TEMP_MARKER, writeFileAtomic } from './atomic-file.js';
import { EmbedderMismatchError, IndexCorruptError, IndexMissingError } from './index-errors.js';
import { PackedVectorIndex } from './packed-vector-index.js';
import type { VectorIndex } from './vector-index.js';
import type { WriterLock } from './writer-lock.js';

/*
 * On-disk layout of an index folder (`config.indexDir`):
 *
 *   manifest.json          the commit point: names the current generation, the embedder, content hashes
 *   gen-000007/index.json  a vectra LocalIndex (vectors + norms + metadata {contentHash}), written by vectra
 *   gen-000007/papers.json the full Paper records, in corpus order
 *   gen-000007/lexical.json the serialised lexical (BM25) index, when the writer gave one (manifest.lexical)
 *   gen-000006/…           the previous generation, kept so readers that opened it keep working
 *   writer.lock/           proper-lockfile lock held by the one writer (see writer-lock.ts)
 *
 * A writer builds a complete new generation folder (every file written atomically), then replaces
 * manifest.json atomically. A crash before that rename leaves the previous generation current and
 * untouched; leftovers are removed by the next writer.
 *
 * Writes go through vectra's own `LocalIndex` (imported lazily, only in the write path), on our
 * AtomicFileStorage so its saves are temp file + fsync + rename:
 * - incremental update: the previous generation's index.json is hard-linked into the new folder
 *   (safe: AtomicFileStorage never writes in place, it renames a new file over the link), then
 *   `beginUpdate` → `deleteItems(removed ∪ changed)` → `insertItem` per new/changed paper → `endUpdate`;
 * - full build: `createIndex({ metadata_config: { indexed: ['contentHash'] } })` (so vectra keeps
 *   the one metadata key inline, no file per item) → `beginUpdate` → `insertItem`… → `endUpdate`.
 * vectra's insertItem checks for a duplicate id by a linear scan of the update's items, so n inserts
 * into an index of N cost O(n·N) string comparisons (measured: 50k full build ≈ 26 s, 100k far over
 * the 2-minute ingest target). When that work exceeds VECTRA_INSERT_BUDGET (a 100k full build; a
 * 100k update that re-embeds a large share), the generation's index.json is instead streamed in
 * vectra's JSON format by our own writer (same file, loadable by vectra, written atomically).
 *
 * Readers do not import vectra (its module graph alone costs ~0.5 s of start-up): index.json is
 * plain JSON in vectra's format, read once and packed into a Float32Array of unit vectors
 * (PackedVectorIndex), whose scan returns vectra's cosine scores. vectra can still open the folder.
 */

export const MANIFEST_FILE = 'manifest.json';
export const VECTRA_INDEX_FILE = 'index.json';
export const PAPERS_FILE = 'papers.json';
export const LEXICAL_FILE = 'lexical.json';
const GENERATION_PREFIX = 'gen-';
const FORMAT = 'paperbot-index';
const FORMAT_VERSION = 1;
const WRITE_CHUNK_ITEMS = 1_000;
/**
 * Characters per chunk of a streamed file (index.json, papers.json): below V8's large-object size
 * (128 KiB, even for two-byte strings), so each chunk dies young in a scavenge. Larger chunks are
 * allocated in old space and pile up as garbage until the next full GC, which at 100k papers let
 * the heap grow by hundreds of MB during the writes.
 */
export const STREAM_CHUNK_CHARS = 48 * 1024;
/**
 * Most id comparisons (inserts × items already in the update) we let vectra's duplicate check do.
 * Measured on 2 cores: ≈ 10 ns per comparison at 20k items, ≈ 50 ns at 100k (cache misses), so the
 * budget costs at most ~2–10 s (a 1,000-paper update of a 100k index: ingest 12.8 s vs ~7 s streamed;
 * a 100k full build through vectra: > 5 min). Above it the streaming writer writes index.json.
 */
export const VECTRA_INSERT_BUDGET = 200_000_000;
/** The one metadata key stored per item (declared indexed, so vectra keeps it inside index.json). */
const ITEM_METADATA_KEYS = ['contentHash'];

export interface EmbedderIdentity {
  id: string;
  dimensions: number;
}

/** Size and modification time of one corpus file, for the cheap "did the corpus change?" check. */
export interface CorpusFileStamp {
  name: string;
  size: number;
  mtimeMs: number;
}

export interface IndexManifest {
  format: typeof FORMAT;
  formatVersion: typeof FORMAT_VERSION;
  /** Folder (under the index dir) of the current generation. */
  generation: string;
  generationNumber: number;
  previousGeneration?: string;
  embedder: EmbedderIdentity;
  paperCount: number;
  /** Paper id → contentHash of the embedded text, for incremental ingest. */
  contentHashes: Record<string, string>;
  /** Corpus files the index was built from (absent when built from papers given directly). */
  corpus?: CorpusFileStamp[];
  /**
   * Present when the generation holds lexical.json: the writer's fingerprint of the lexical index
   * code (tokenizer, parameters, format), so a reader can tell a stale serialisation and rebuild.
   */
  lexical?: { fingerprint: string };
  updatedAt: string;
}

/** Everything a writer needs from the current index (no vectra import: plain JSON). */
export interface IndexSnapshot {
  manifest: IndexManifest;
  papers: Paper[];
  /** Paper id → stored vector. */
  vectors: Map<string, number[]>;
  /** papers.json exactly as stored (to tell whether the catalog changed). */
  papersJson: string;
}

function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readJsonFile(indexDir: string, filePath: string, label: string): Promise<{ value: unknown; text: string }> {
  const text = await readTextFile(indexDir, filePath, label);
  try {
    return { value: JSON.parse(text), text };
  } catch (error) {
    throw new IndexCorruptError(indexDir, `${label} is not valid JSON: ${describe(error)}`, { cause: error });
  }
}

/** Read manifest.json: undefined when there is no index yet, IndexCorruptError when it is unreadable. */
export async function readIndexManifest(indexDir: string): Promise<IndexManifest | undefined> {
  const manifestPath = path.join(indexDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) {
      // A vectra index without our manifest (or a legacy layout) counts as unreadable, not as missing.
      if (await hasOtherIndexFiles(indexDir)) throw new IndexCorruptError(indexDir, `${MANIFEST_FILE} is missing`);
      return undefined;
    }
    throw error;
  }
  if (text.length === 0) throw new IndexCorruptError(indexDir, `${MANIFEST_FILE} is empty (0 bytes)`);
  let value: Partial<IndexManifest>;
  try {
    value = JSON.parse(text) as Partial<IndexManifest>;
  } catch (error) {
    throw new IndexCorruptError(indexDir, `${MANIFEST_FILE} is not valid JSON: ${describe(error)}`, { cause: error });
  }
  if (
    value?.format !== FORMAT ||
    value.formatVersion !== FORMAT_VERSION ||
    typeof value.generation !== 'string' ||
    !value.generation.startsWith(GENERATION_PREFIX) ||
    typeof value.embedder?.id !== 'string' ||
    typeof value.embedder.dimensions !== 'number' ||
    typeof value.paperCount !== 'number' ||
    typeof value.contentHashes !== 'object' ||
    value.contentHashes === null
  ) {
    throw new IndexCorruptError(indexDir, `${MANIFEST_FILE} has an unexpected shape or format version`);
  }
  return value as IndexManifest;
}

async function hasOtherIndexFiles(indexDir: string): Promise<boolean> {
  try {
    const names = await readdir(indexDir);
    return names.some((name) => name === VECTRA_INDEX_FILE || name.startsWith(GENERATION_PREFIX));
  } catch {
    return false;
  }
}

/** Throw EmbedderMismatchError unless the index was built by this embedder id with these dimensions. */
export function assertSameEmbedder(indexDir: string, manifest: IndexManifest, embedder: EmbedderIdentity): void {
  if (manifest.embedder.id !== embedder.id || manifest.embedder.dimensions !== embedder.dimensions) {
    throw new EmbedderMismatchError(indexDir, manifest.embedder, { id: embedder.id, dimensions: embedder.dimensions });
  }
}

function validatePapers(indexDir: string, manifest: IndexManifest, value: unknown): Paper[] {
  if (!Array.isArray(value)) throw new IndexCorruptError(indexDir, `${PAPERS_FILE} is not an array`);
  for (const paper of value as Partial<Paper>[]) {
    if (typeof paper?.id !== 'string' || typeof paper.title !== 'string' || typeof paper.abstract !== 'string' || typeof paper.contentHash !== 'string') {
      throw new IndexCorruptError(indexDir, `${PAPERS_FILE} holds a record without id/title/abstract/contentHash`);
    }
  }
  if (value.length !== manifest.paperCount) {
    throw new IndexCorruptError(indexDir, `${PAPERS_FILE} holds ${value.length} papers but the manifest says ${manifest.paperCount}`);
  }
  return value as Paper[];
}

interface RawItem {
  id: string;
  vector: number[];
}

function validateItems(indexDir: string, manifest: IndexManifest, papers: readonly Paper[], items: unknown): RawItem[] {
  if (!Array.isArray(items)) throw new IndexCorruptError(indexDir, `${VECTRA_INDEX_FILE} has no items array`);
  if (items.length !== papers.length) {
    throw new IndexCorruptError(indexDir, `${VECTRA_INDEX_FILE} holds ${items.length} vectors for ${papers.length} papers`);
  }
  const ids = new Set(papers.map((paper) => paper.id));
  for (const item of items as Partial<RawItem>[]) {
    if (typeof item?.id !== 'string' || !ids.has(item.id)) throw new IndexCorruptError(indexDir, `${VECTRA_INDEX_FILE} holds a vector for an unknown paper`);
    if (!Array.isArray(item.vector) || item.vector.length !== manifest.embedder.dimensions) {
      throw new IndexCorruptError(indexDir, `${VECTRA_INDEX_FILE} holds a vector of the wrong dimension for ${item.id}`);
    }
  }
  return items as RawItem[];
}

/**
 * Read the whole current index for a writer (manifest, papers, vectors) without vectra.
 * Undefined when there is no index yet; IndexCorruptError when any part is unreadable or inconsistent.
 */
export async function readIndexSnapshot(indexDir: string): Promise<IndexSnapshot | undefined> {
  const manifest = await readIndexManifest(indexDir);
  if (!manifest) return undefined;
  const generationDir = path.join(indexDir, manifest.generation);
  const { value: papersValue, text: papersJson } = await readJsonFile(indexDir, path.join(generationDir, PAPERS_FILE), PAPERS_FILE);
  const papers = validatePapers(indexDir, manifest, papersValue);
  const { value: indexValue } = await readJsonFile(indexDir, path.join(generationDir, VECTRA_INDEX_FILE), VECTRA_INDEX_FILE);
  const items = validateItems(indexDir, manifest, papers, (indexValue as { items?: unknown } | null)?.items);
  return { manifest, papers, vectors: new Map(items.map((item) => [item.id, item.vector])), papersJson };
}

function norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  return Math.sqrt(sum);
}

/**
 * vectra's index.json as vectra itself writes it (same metadata_config and per-item metadata), streamed
 * in chunks of about STREAM_CHUNK_CHARS: the fallback writer when vectra's inserts would be too slow
 * (see the top). `progress.items` counts the items in the chunks yielded so far.
 */
function* vectraIndexChunks(papers: readonly Paper[], vectorFor: (id: string) => ArrayLike<number>, progress: { items: number }): Generator<string> {
  yield `{"version":1,"metadata_config":${JSON.stringify({ indexed: ITEM_METADATA_KEYS })},"items":[`;
  let chunk = '';
  for (let i = 0; i < papers.length; i++) {
    const paper = papers[i]!;
    const vector = storedVector(vectorFor(paper.id));
    chunk += `${i > 0 ? ',' : ''}{"id":${JSON.stringify(paper.id)},"metadata":${JSON.stringify({ contentHash: paper.contentHash })},"vector":${JSON.stringify(vector)},"norm":${norm(vector)}}`;
    if (chunk.length >= STREAM_CHUNK_CHARS) {
      progress.items = i + 1;
      yield chunk;
      chunk = '';
    }
  }
  progress.items = papers.length;
  yield `${chunk}]}`;
}

function* jsonArrayChunks(values: readonly unknown[]): Generator<string> {
  let chunk = '[';
  for (let i = 0; i < values.length; i++) {
    chunk += `${i > 0 ? ',' : ''}${JSON.stringify(values[i])}`;
    if (chunk.length >= STREAM_CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]`;
}

/** The JSON text of papers.json for a list of papers (same bytes as commitIndex writes). */
export function papersFileText(papers: readonly Paper[]): string {
  return [...jsonArrayChunks(papers)].join('');
}

export interface CommitIndexInput {
  indexDir: string;
  /** The held writer lock (checked just before the commit). */
  lock: WriterLock;
  /** The manifest being replaced, if any. */
  previous: IndexManifest | undefined;
  embedder: EmbedderIdentity;
  /** All papers of the new index, in corpus order (ids unique). */
  papers: readonly Paper[];
  /**
   * The vectors:
   * - `write`: a new index of every paper (vectorFor gives each paper's vector);
   * - `update`: the previous generation's items, minus papers no longer present and minus `changed`
   *   ids, plus `changed` papers (vectorFor must still answer for every paper, in case the update is
   *   too large for vectra's inserts and the index is written in full instead);
   * - `reuse`: the previous generation's index.json unchanged (hard-linked; only valid when the set
   *   of ids and their vectors did not change).
   */
  vectors:
    | { kind: 'write'; vectorFor: (id: string) => ArrayLike<number> }
    | { kind: 'update'; vectorFor: (id: string) => ArrayLike<number>; changed: ReadonlySet<string> }
    | { kind: 'reuse' };
  corpus?: CorpusFileStamp[] | undefined;
  /**
   * The serialised lexical index of these papers, stored as lexical.json (opaque to the store), with
   * the fingerprint a reader compares. Produced after the vectors are written (a function), so a
   * writer need not hold both at once; it may give the text in chunks (streamed to the file).
   */
  lexical?: { fingerprint: string; json: () => string | Promise<string> | Iterable<string> | AsyncIterable<string> } | undefined;
  /** Called as vectors go into the new index (done = items in it so far, total = papers.length). */
  onWriteProgress?: ((done: number, total: number) => void) | undefined;
  /** Override VECTRA_INSERT_BUDGET (tests). */
  vectraInsertBudget?: number | undefined;
}

/** How commitIndex writes a generation's index.json. */
export type IndexWriter = 'vectra-update' | 'vectra-build' | 'stream' | 'reuse';

/**
 * Pick the writer for a commit: vectra's LocalIndex unless its duplicate-id scans (inserts × items in
 * the update) would exceed `budget`.
 */
export function chooseIndexWriter(vectors: CommitIndexInput['vectors'], total: number, hasPrevious: boolean, budget = VECTRA_INSERT_BUDGET): IndexWriter {
  if (vectors.kind === 'reuse') return 'reuse';
  if (vectors.kind === 'update' && hasPrevious) {
    const inserts = vectors.changed.size;
    const kept = total - inserts;
    if (inserts * (kept + inserts / 2) <= budget) return 'vectra-update';
  }
  return (total * total) / 2 <= budget ? 'vectra-build' : 'stream';
}

/**
 * A vector as plain numbers with 7 significant digits (float32 precision): half the JSON text of full
 * float64 numbers and faster to parse; cosine scores change by < 1e-6.
 */
function storedVector(vector: ArrayLike<number>): number[] {
  const out = new Array<number>(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i]!;
    if (!Number.isFinite(x)) throw new Error('Cannot store a vector with non-finite values');
    out[i] = x === 0 ? 0 : Number(x.toPrecision(7));
  }
  return out;
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

interface VectraWrite {
  generationDir: string;
  /** index.json of the previous generation to start from (update); undefined: create a new index. */
  baseIndexFile?: string | undefined;
  remove: ReadonlySet<string>;
  inserts: readonly Paper[];
  vectorFor: (id: string) => ArrayLike<number>;
  total: number;
  onWriteProgress?: ((done: number, total: number) => void) | undefined;
}

/** Create or update the generation's index.json through vectra's LocalIndex on atomic storage. */
async function writeWithVectra(write: VectraWrite): Promise<void> {
  // Imported here only: readers never load vectra (~0.5 s of start-up).
  const { LocalIndex } = await import('vectra');
  const index = new LocalIndex(write.generationDir, VECTRA_INDEX_FILE, new AtomicFileStorage());
  if (write.baseIndexFile) await linkOrCopy(write.baseIndexFile, path.join(write.generationDir, VECTRA_INDEX_FILE));
  else await index.createIndex({ version: 1, metadata_config: { indexed: ITEM_METADATA_KEYS } });
  await index.beginUpdate();
  try {
    if (write.remove.size > 0) await index.deleteItems(new Set(write.remove));
    const kept = write.total - write.inserts.length;
    for (let i = 0; i < write.inserts.length; i++) {
      const paper = write.inserts[i]!;
      await index.insertItem({ id: paper.id, vector: storedVector(write.vectorFor(paper.id)), metadata: { contentHash: paper.contentHash } });
      if ((i + 1) % WRITE_CHUNK_ITEMS === 0) write.onWriteProgress?.(kept + i + 1, write.total);
    }
    await index.endUpdate();
  } catch (error) {
    index.cancelUpdate();
    throw error;
  }
  const stored = (await index.getIndexStats()).items;
  if (stored !== write.total) throw new Error(`vectra index holds ${stored} items for ${write.total} papers`);
  write.onWriteProgress?.(write.total, write.total);
}

async function nextGenerationNumber(indexDir: string, previous: IndexManifest | undefined): Promise<number> {
  let max = previous?.generationNumber ?? 0;
  for (const name of await readdir(indexDir)) {
    if (name.startsWith(GENERATION_PREFIX)) max = Math.max(max, Number.parseInt(name.slice(GENERATION_PREFIX.length), 10) || 0);
  }
  return max + 1;
}

/** Remove generations other than the current and previous one, and temp files of crashed writers. */
async function removeLeftovers(indexDir: string, keep: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(indexDir)) {
    if ((name.startsWith(GENERATION_PREFIX) && !keep.has(name)) || name.includes(TEMP_MARKER)) {
      await rm(path.join(indexDir, name), { recursive: true, force: true });
    }
  }
}

/**
 * Write a complete new generation (vectra index.json through vectra's LocalIndex — or, past
 * VECTRA_INSERT_BUDGET, our streaming writer — then papers.json, lexical.json, each atomically) and
 * then make it current by atomically replacing manifest.json. Must be called under the writer lock.
 */
export async function commitIndex(input: CommitIndexInput): Promise<IndexManifest> {
  const { indexDir, previous, papers, embedder } = input;
  await mkdir(indexDir, { recursive: true });
  const number = await nextGenerationNumber(indexDir, previous);
  const generation = `${GENERATION_PREFIX}${String(number).padStart(6, '0')}`;
  const generationDir = path.join(indexDir, generation);
  await rm(generationDir, { recursive: true, force: true });
  await mkdir(generationDir, { recursive: true });

  const total = papers.length;
  const { vectors } = input;
  const writer = chooseIndexWriter(vectors, total, previous !== undefined, input.vectraInsertBudget);
  if (vectors.kind === 'reuse') {
    if (!previous) throw new Error('commitIndex: cannot reuse vectors without a previous generation');
    await linkOrCopy(path.join(indexDir, previous.generation, VECTRA_INDEX_FILE), path.join(generationDir, VECTRA_INDEX_FILE));
    input.onWriteProgress?.(total, total);
  } else if (writer === 'vectra-update' && previous && vectors.kind === 'update') {
    const present = new Set(papers.map((paper) => paper.id));
    const remove = new Set(vectors.changed);
    for (const id of Object.keys(previous.contentHashes)) if (!present.has(id)) remove.add(id);
    await writeWithVectra({
      generationDir,
      baseIndexFile: path.join(indexDir, previous.generation, VECTRA_INDEX_FILE),
      remove,
      inserts: papers.filter((paper) => vectors.changed.has(paper.id)),
      vectorFor: vectors.vectorFor,
      total,
      onWriteProgress: input.onWriteProgress,
    });
  } else if (writer === 'vectra-build') {
    await writeWithVectra({ generationDir, remove: new Set(), inserts: papers, vectorFor: vectors.vectorFor, total, onWriteProgress: input.onWriteProgress });
  } else {
    const { vectorFor } = vectors;
    const progress = { items: 0 };
    let reported = 0;
    let finished = false;
    await writeFileAtomic(path.join(generationDir, VECTRA_INDEX_FILE), vectraIndexChunks(papers, vectorFor, progress), () => {
      // Report about every WRITE_CHUNK_ITEMS items and once at the end, not after every small chunk.
      if (finished || (progress.items < total && progress.items - reported < WRITE_CHUNK_ITEMS)) return;
      finished = progress.items === total;
      reported = progress.items;
      input.onWriteProgress?.(reported, total);
    });
  }
  await writeFileAtomic(path.join(generationDir, PAPERS_FILE), jsonArrayChunks(papers));
  if (input.lexical) {
    const json = input.lexical.json();
    await writeFileAtomic(path.join(generationDir, LEXICAL_FILE), json instanceof Promise ? await json : json);
  }

  const manifest: IndexManifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    generation,
    generationNumber: number,
    ...(previous ? { previousGeneration: previous.generation } : {}),
    embedder: { id: embedder.id, dimensions: embedder.dimensions },
    paperCount: papers.length,
    contentHashes: Object.fromEntries(papers.map((paper) => [paper.id, paper.contentHash])),
    ...(input.corpus ? { corpus: input.corpus } : {}),
    ...(input.lexical ? { lexical: { fingerprint: input.lexical.fingerprint } } : {}),
    updatedAt: new Date().toISOString(),
  };
  input.lock.assertHeld();
  await writeFileAtomic(path.join(indexDir, MANIFEST_FILE), JSON.stringify(manifest));
  await removeLeftovers(indexDir, new Set([generation, ...(previous ? [previous.generation] : [])]));
  return manifest;
}

/** Record new corpus stamps in the manifest without touching the generation (under the writer lock). */
export async function updateManifestCorpus(indexDir: string, lock: WriterLock, manifest: IndexManifest, corpus: CorpusFileStamp[]): Promise<IndexManifest> {
  const next: IndexManifest = { ...manifest, corpus, updatedAt: new Date().toISOString() };
  lock.assertHeld();
  await writeFileAtomic(path.join(indexDir, MANIFEST_FILE), JSON.stringify(next));
  return next;
}

export interface OpenPaperIndexOptions {
  indexDir: string;
  /** When given, an index built by another embedder id / dimension is an EmbedderMismatchError. */
  embedder?: EmbedderIdentity;
}

export interface OpenedPaperIndex {
  /** All papers, in corpus order. */
  papers: Paper[];
  /** Nearest-neighbour search over the papers' vectors (packed in memory from vectra's index.json). */
  vectors: VectorIndex;
  manifest: IndexManifest;
  /** lexical.json as stored, with its writer's fingerprint (absent when the generation has none). */
  lexical?: { json: string; fingerprint: string };
}

async function readTextFile(indexDir: string, filePath: string, label: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw new IndexCorruptError(indexDir, `${label} is missing`, { cause: error });
    throw error;
  }
  if (text.length === 0) throw new IndexCorruptError(indexDir, `${label} is empty (0 bytes)`);
  return text;
}

async function openGeneration(options: OpenPaperIndexOptions): Promise<OpenedPaperIndex> {
  const { indexDir } = options;
  const manifest = await readIndexManifest(indexDir);
  if (!manifest) throw new IndexMissingError(indexDir);
  if (options.embedder) assertSameEmbedder(indexDir, manifest, options.embedder);
  const generationDir = path.join(indexDir, manifest.generation);
  const { value } = await readJsonFile(indexDir, path.join(generationDir, PAPERS_FILE), PAPERS_FILE);
  const papers = validatePapers(indexDir, manifest, value);
  const { value: indexValue } = await readJsonFile(indexDir, path.join(generationDir, VECTRA_INDEX_FILE), VECTRA_INDEX_FILE);
  const items = validateItems(indexDir, manifest, papers, (indexValue as { items?: unknown } | null)?.items);
  const vectors = new PackedVectorIndex(items, manifest.embedder.dimensions);
  const lexical = manifest.lexical
    ? { json: await readTextFile(indexDir, path.join(generationDir, LEXICAL_FILE), LEXICAL_FILE), fingerprint: manifest.lexical.fingerprint }
    : undefined;
  return { papers, vectors, manifest, ...(lexical ? { lexical } : {}) };
}

/**
 * Open the current index for reading (no lock needed): its papers, a VectorIndex over its vectors
 * and its stored lexical index, if any.
 * Throws IndexMissingError when none was built yet, IndexCorruptError when it is unreadable (the
 * caller rebuilds it from the corpus), EmbedderMismatchError when `embedder` differs from the builder.
 */
export async function openPaperIndex(options: OpenPaperIndexOptions): Promise<OpenedPaperIndex> {
  try {
    return await openGeneration(options);
  } catch (error) {
    // A writer may have committed and cleaned up between our manifest read and file reads: retry once.
    if (error instanceof IndexCorruptError || isErrno(error, 'ENOENT')) {
      try {
        return await openGeneration(options);
      } catch (retryError) {
        if (isErrno(retryError, 'ENOENT')) throw new IndexCorruptError(options.indexDir, describe(retryError), { cause: retryError });
        throw retryError;
      }
    }
    throw error;
  }
}
