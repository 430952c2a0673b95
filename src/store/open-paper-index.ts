import path from 'node:path';
import type { Paper } from '../corpus/paper.js';
import { IndexCorruptError, IndexMissingError } from './index-errors.js';
import { LEXICAL_FILE } from './index-layout.js';
import { assertSameEmbedder, readIndexManifest, type EmbedderIdentity, type IndexManifest } from './index-manifest.js';
import { PackedVectorIndex } from './packed-vector-index.js';
import { errorMessage, isErrno, readGenerationFiles, readIndexText } from './read-index-files.js';
import type { VectorIndex } from './vector-index.js';

export interface OpenPaperIndexOptions {
  indexDir: string;
  /** When given, an index built by another embedder id / dimension is an EmbedderMismatchError. */
  embedder?: EmbedderIdentity;
}

export interface OpenedPaperIndex {
  /** All papers, in corpus order. */
  papers: Paper[];
  /** Nearest-neighbour search over the papers' vectors (packed in memory from index.json). */
  vectors: VectorIndex;
  manifest: IndexManifest;
  /** lexical.json as stored, with its writer's fingerprint (absent when the generation has none). */
  lexical?: { json: string; fingerprint: string };
}

async function openGeneration(options: OpenPaperIndexOptions): Promise<OpenedPaperIndex> {
  const { indexDir } = options;
  const manifest = await readIndexManifest(indexDir);
  if (!manifest) throw new IndexMissingError(indexDir);
  if (options.embedder) assertSameEmbedder(indexDir, manifest, options.embedder);
  const { papers, items } = await readGenerationFiles(indexDir, manifest);
  const vectors = new PackedVectorIndex(items, manifest.embedder.dimensions);
  if (!manifest.lexical) return { papers, vectors, manifest };
  const json = await readIndexText(indexDir, path.join(indexDir, manifest.generation, LEXICAL_FILE), LEXICAL_FILE);
  return { papers, vectors, manifest, lexical: { json, fingerprint: manifest.lexical.fingerprint } };
}

/**
 * Open the current index for reading (no lock needed; vectra is not imported, index.json is read as
 * plain JSON). Throws IndexMissingError when none was built yet, IndexCorruptError when it is
 * unreadable (the caller rebuilds it from the corpus), EmbedderMismatchError when `embedder` differs.
 */
export async function openPaperIndex(options: OpenPaperIndexOptions): Promise<OpenedPaperIndex> {
  try {
    return await openGeneration(options);
  } catch (error) {
    if (!(error instanceof IndexCorruptError || isErrno(error, 'ENOENT'))) throw error;
    // A writer may have committed and removed this generation between our reads: retry once.
    try {
      return await openGeneration(options);
    } catch (retryError) {
      if (isErrno(retryError, 'ENOENT')) throw new IndexCorruptError(options.indexDir, errorMessage(retryError), { cause: retryError });
      throw retryError;
    }
  }
}
