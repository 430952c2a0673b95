import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { EmbedderMismatchError, IndexCorruptError } from './index-errors.js';
import { isGenerationName, MANIFEST_FILE, VECTRA_INDEX_FILE } from './index-layout.js';
import { errorMessage, isErrno } from './read-index-files.js';
import type { WriterLock } from './writer-lock.js';

const FORMAT = 'paperbot-index';
const FORMAT_VERSION = 1;

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
  /** Present when the generation holds lexical.json: the fingerprint of the code that wrote it. */
  lexical?: { fingerprint: string };
  updatedAt: string;
}

export type NewManifestFields = Omit<IndexManifest, 'format' | 'formatVersion' | 'updatedAt'>;

/** A manifest of the current format, stamped now. */
export function newManifest(fields: NewManifestFields): IndexManifest {
  return { format: FORMAT, formatVersion: FORMAT_VERSION, ...fields, updatedAt: new Date().toISOString() };
}

function hasExpectedShape(value: Partial<IndexManifest> | null): boolean {
  return (
    value?.format === FORMAT &&
    value.formatVersion === FORMAT_VERSION &&
    typeof value.generation === 'string' &&
    isGenerationName(value.generation) &&
    typeof value.embedder?.id === 'string' &&
    typeof value.embedder.dimensions === 'number' &&
    typeof value.paperCount === 'number' &&
    typeof value.contentHashes === 'object' &&
    value.contentHashes !== null
  );
}

async function hasOtherIndexFiles(indexDir: string): Promise<boolean> {
  try {
    const names = await readdir(indexDir);
    return names.some((name) => name === VECTRA_INDEX_FILE || isGenerationName(name));
  } catch {
    return false;
  }
}

/** Read manifest.json: undefined when there is no index yet, IndexCorruptError when it is unreadable. */
export async function readIndexManifest(indexDir: string): Promise<IndexManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(indexDir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
    // Index files without our manifest (e.g. a bare vectra index) count as unreadable, not as missing.
    if (await hasOtherIndexFiles(indexDir)) throw new IndexCorruptError(indexDir, `${MANIFEST_FILE} is missing`);
    return undefined;
  }
  if (text.length === 0) throw new IndexCorruptError(indexDir, `${MANIFEST_FILE} is empty (0 bytes)`);
  let value: Partial<IndexManifest> | null;
  try {
    value = JSON.parse(text) as Partial<IndexManifest> | null;
  } catch (error) {
    throw new IndexCorruptError(indexDir, `${MANIFEST_FILE} is not valid JSON: ${errorMessage(error)}`, { cause: error });
  }
  if (!hasExpectedShape(value)) throw new IndexCorruptError(indexDir, `${MANIFEST_FILE} has an unexpected shape or format version`);
  return value as IndexManifest;
}

/** Throw EmbedderMismatchError unless the index was built by this embedder id with these dimensions. */
export function assertSameEmbedder(indexDir: string, manifest: IndexManifest, embedder: EmbedderIdentity): void {
  if (manifest.embedder.id !== embedder.id || manifest.embedder.dimensions !== embedder.dimensions) {
    throw new EmbedderMismatchError(indexDir, manifest.embedder, { id: embedder.id, dimensions: embedder.dimensions });
  }
}

/** True when two lists of corpus stamps describe the same files (absent = none recorded). */
export function sameCorpusStamps(a: readonly CorpusFileStamp[] | undefined, b: readonly CorpusFileStamp[] | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Make `manifest` current: atomically replace manifest.json, if the writer lock is still held. */
export async function writeIndexManifest(indexDir: string, lock: WriterLock, manifest: IndexManifest): Promise<void> {
  lock.assertHeld();
  await writeFileAtomic(path.join(indexDir, MANIFEST_FILE), JSON.stringify(manifest));
}

/** Record new corpus stamps in the manifest without touching the generation (under the writer lock). */
export async function updateManifestCorpus(indexDir: string, lock: WriterLock, manifest: IndexManifest, corpus: CorpusFileStamp[]): Promise<IndexManifest> {
  const next: IndexManifest = { ...manifest, corpus, updatedAt: new Date().toISOString() };
  await writeIndexManifest(indexDir, lock, next);
  return next;
}
