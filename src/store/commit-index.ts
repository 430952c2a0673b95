import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Paper } from '../corpus/paper.js';
import { TEMP_MARKER, writeFileAtomic } from './atomic-file.js';
import { ensureDirectory } from './ensure-directory.js';
import { generationName, generationNumber, isGenerationName, LEXICAL_FILE, PAPERS_FILE } from './index-layout.js';
import { newManifest, writeIndexManifest, type CorpusFileStamp, type EmbedderIdentity, type IndexManifest } from './index-manifest.js';
import { jsonArrayChunks } from './stream-json.js';
import { writeIndexVectors, type IndexVectors } from './write-index-vectors.js';
import type { WriterLock } from './writer-lock.js';

/** Text of a stored file, whole or in chunks (streamed to the file). */
type FileText = string | Promise<string> | Iterable<string> | AsyncIterable<string>;

export interface CommitIndexInput {
  indexDir: string;
  /** The held writer lock (checked just before the commit). */
  lock: WriterLock;
  /** The manifest being replaced, if any. */
  previous: IndexManifest | undefined;
  embedder: EmbedderIdentity;
  /** All papers of the new index, in corpus order (ids unique). */
  papers: readonly Paper[];
  vectors: IndexVectors;
  corpus?: CorpusFileStamp[] | undefined;
  /**
   * The serialised lexical index (opaque to the store) and the fingerprint a reader compares. A
   * function, called once index.json is written, so a writer need not hold both at once.
   */
  lexical?: { fingerprint: string; json: () => FileText } | undefined;
  /** Called as vectors go into the new index (done = items in it so far, total = papers.length). */
  onWriteProgress?: ((done: number, total: number) => void) | undefined;
  /** Most duplicate-id comparisons to let vectra do (default VECTRA_INSERT_BUDGET). */
  vectraInsertBudget?: number | undefined;
}

/** The papers.json text for a list of papers (the same bytes commitIndex writes). */
export function papersFileText(papers: readonly Paper[]): string {
  return [...jsonArrayChunks(papers)].join('');
}

async function nextGenerationNumber(indexDir: string, previous: IndexManifest | undefined): Promise<number> {
  let max = previous?.generationNumber ?? 0;
  for (const name of await readdir(indexDir)) if (isGenerationName(name)) max = Math.max(max, generationNumber(name));
  return max + 1;
}

/** Remove generations other than `keep`, and temp files of crashed writers. */
async function removeLeftovers(indexDir: string, keep: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(indexDir)) {
    if ((isGenerationName(name) && !keep.has(name)) || name.includes(TEMP_MARKER)) {
      await rm(path.join(indexDir, name), { recursive: true, force: true });
    }
  }
}

/**
 * Write a complete new generation (index.json, papers.json, lexical.json, each atomically), then
 * make it current by atomically replacing manifest.json. Must be called under the writer lock.
 */
export async function commitIndex(input: CommitIndexInput): Promise<IndexManifest> {
  const { indexDir, previous, papers } = input;
  await ensureDirectory(indexDir);
  const number = await nextGenerationNumber(indexDir, previous);
  const generation = generationName(number);
  const generationDir = path.join(indexDir, generation);
  await rm(generationDir, { recursive: true, force: true });
  await mkdir(generationDir);

  await writeIndexVectors({ ...input, generationDir });
  await writeFileAtomic(path.join(generationDir, PAPERS_FILE), jsonArrayChunks(papers));
  if (input.lexical) {
    const json = input.lexical.json();
    await writeFileAtomic(path.join(generationDir, LEXICAL_FILE), json instanceof Promise ? await json : json);
  }

  const manifest = newManifest({
    generation,
    generationNumber: number,
    ...(previous ? { previousGeneration: previous.generation } : {}),
    embedder: { id: input.embedder.id, dimensions: input.embedder.dimensions },
    paperCount: papers.length,
    contentHashes: Object.fromEntries(papers.map((paper) => [paper.id, paper.contentHash])),
    ...(input.corpus ? { corpus: input.corpus } : {}),
    ...(input.lexical ? { lexical: { fingerprint: input.lexical.fingerprint } } : {}),
  });
  await writeIndexManifest(indexDir, input.lock, manifest);
  await removeLeftovers(indexDir, new Set([generation, ...(previous ? [previous.generation] : [])]));
  return manifest;
}
