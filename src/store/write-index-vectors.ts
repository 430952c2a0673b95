import path from 'node:path';
import type { Paper } from '../corpus/paper.js';
import { AtomicFileStorage, linkOrCopyFile, writeFileAtomic } from './atomic-file.js';
import { VECTRA_INDEX_FILE } from './index-layout.js';
import type { IndexManifest } from './index-manifest.js';
import { ITEM_METADATA_KEYS, storedVector, vectraIndexChunks, VECTRA_INDEX_VERSION } from './vectra-format.js';

/**
 * Most id comparisons (inserts × items already in the update) we let vectra's duplicate-id check
 * (a linear scan per insert) do; past it, index.json is streamed by our own writer instead.
 */
export const VECTRA_INSERT_BUDGET = 200_000_000;
/** Write progress is reported about every this many items. */
const PROGRESS_EVERY_ITEMS = 1_000;

/**
 * The vectors of a new generation:
 * - `write`: a new index of every paper;
 * - `update`: the previous generation's items, minus papers no longer present and minus `changed`,
 *   plus `changed` (vectorFor still answers for every paper, in case the index is written in full);
 * - `reuse`: the previous generation's index.json unchanged (same ids and vectors).
 */
export type IndexVectors =
  | { kind: 'write'; vectorFor: (id: string) => ArrayLike<number> }
  | { kind: 'update'; vectorFor: (id: string) => ArrayLike<number>; changed: ReadonlySet<string> }
  | { kind: 'reuse' };

/** How a generation's index.json is written. */
export type IndexWriter = 'vectra-update' | 'vectra-build' | 'stream' | 'reuse';

/** vectra's LocalIndex unless its duplicate-id scans (inserts × items in the update) would exceed `budget`. */
export function chooseIndexWriter(vectors: IndexVectors, total: number, hasPrevious: boolean, budget = VECTRA_INSERT_BUDGET): IndexWriter {
  if (vectors.kind === 'reuse') return 'reuse';
  if (vectors.kind === 'update' && hasPrevious) {
    const inserts = vectors.changed.size;
    const kept = total - inserts;
    if (inserts * (kept + inserts / 2) <= budget) return 'vectra-update';
  }
  return (total * total) / 2 <= budget ? 'vectra-build' : 'stream';
}

export interface WriteIndexVectorsInput {
  indexDir: string;
  generationDir: string;
  previous: IndexManifest | undefined;
  papers: readonly Paper[];
  vectors: IndexVectors;
  onWriteProgress?: ((done: number, total: number) => void) | undefined;
  /** Most duplicate-id comparisons to let vectra do (default VECTRA_INSERT_BUDGET). */
  vectraInsertBudget?: number | undefined;
}

interface VectraWrite {
  generationDir: string;
  /** index.json of the previous generation to start from; undefined: create a new index. */
  baseIndexFile?: string | undefined;
  remove: ReadonlySet<string>;
  inserts: readonly Paper[];
  vectorFor: (id: string) => ArrayLike<number>;
  total: number;
  onWriteProgress?: ((done: number, total: number) => void) | undefined;
}

/** Create or update index.json through vectra's LocalIndex on atomic storage (saves never write in place). */
async function writeWithVectra(write: VectraWrite): Promise<void> {
  // Imported here only: readers never load vectra (its module graph is slow to load).
  const { LocalIndex } = await import('vectra');
  const index = new LocalIndex(write.generationDir, VECTRA_INDEX_FILE, new AtomicFileStorage());
  // A hard link is safe: atomic storage renames a new file over it instead of writing through it.
  if (write.baseIndexFile) await linkOrCopyFile(write.baseIndexFile, path.join(write.generationDir, VECTRA_INDEX_FILE));
  else await index.createIndex({ version: VECTRA_INDEX_VERSION, metadata_config: { indexed: ITEM_METADATA_KEYS } });
  await index.beginUpdate();
  try {
    if (write.remove.size > 0) await index.deleteItems(new Set(write.remove));
    const kept = write.total - write.inserts.length;
    for (let i = 0; i < write.inserts.length; i++) {
      const paper = write.inserts[i]!;
      await index.insertItem({ id: paper.id, vector: storedVector(write.vectorFor(paper.id)), metadata: { contentHash: paper.contentHash } });
      if ((i + 1) % PROGRESS_EVERY_ITEMS === 0) write.onWriteProgress?.(kept + i + 1, write.total);
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

/** Stream index.json in vectra's format, reporting progress about every PROGRESS_EVERY_ITEMS items. */
async function streamIndexJson(file: string, papers: readonly Paper[], vectorFor: (id: string) => ArrayLike<number>, onWriteProgress: WriteIndexVectorsInput['onWriteProgress']): Promise<void> {
  const total = papers.length;
  const progress = { items: 0 };
  let reported = 0;
  let finished = false;
  await writeFileAtomic(file, vectraIndexChunks(papers, vectorFor, progress), () => {
    if (finished || (progress.items < total && progress.items - reported < PROGRESS_EVERY_ITEMS)) return;
    finished = progress.items === total;
    reported = progress.items;
    onWriteProgress?.(reported, total);
  });
}

/** Write the generation's index.json with the writer chooseIndexWriter picks. */
export async function writeIndexVectors(input: WriteIndexVectorsInput): Promise<void> {
  const { indexDir, generationDir, previous, papers, vectors, onWriteProgress } = input;
  const total = papers.length;
  const writer = chooseIndexWriter(vectors, total, previous !== undefined, input.vectraInsertBudget);
  if (vectors.kind === 'reuse') {
    if (!previous) throw new Error('Cannot reuse vectors without a previous generation');
    await linkOrCopyFile(path.join(indexDir, previous.generation, VECTRA_INDEX_FILE), path.join(generationDir, VECTRA_INDEX_FILE));
    onWriteProgress?.(total, total);
  } else if (writer === 'vectra-update' && previous && vectors.kind === 'update') {
    const present = new Set(papers.map((paper) => paper.id));
    const remove = new Set(vectors.changed);
    for (const id of Object.keys(previous.contentHashes)) if (!present.has(id)) remove.add(id);
    const baseIndexFile = path.join(indexDir, previous.generation, VECTRA_INDEX_FILE);
    const inserts = papers.filter((paper) => vectors.changed.has(paper.id));
    await writeWithVectra({ generationDir, baseIndexFile, remove, inserts, vectorFor: vectors.vectorFor, total, onWriteProgress });
  } else if (writer === 'vectra-build') {
    await writeWithVectra({ generationDir, remove: new Set(), inserts: papers, vectorFor: vectors.vectorFor, total, onWriteProgress });
  } else {
    await streamIndexJson(path.join(generationDir, VECTRA_INDEX_FILE), papers, vectors.vectorFor, onWriteProgress);
  }
}
