import type { Paper } from '../corpus/paper.js';
import { readIndexManifest, type IndexManifest } from './index-manifest.js';
import { readGenerationFiles } from './read-index-files.js';

/** Everything a writer needs from the current index. */
export interface IndexSnapshot {
  manifest: IndexManifest;
  papers: Paper[];
  /** Paper id → stored vector. */
  vectors: Map<string, number[]>;
  /** papers.json exactly as stored (to tell whether the catalog changed). */
  papersJson: string;
}

/**
 * Read the whole current index for a writer (manifest, papers, vectors).
 * Undefined when there is no index yet; IndexCorruptError when any part is unreadable or inconsistent.
 */
export async function readIndexSnapshot(indexDir: string): Promise<IndexSnapshot | undefined> {
  const manifest = await readIndexManifest(indexDir);
  if (!manifest) return undefined;
  const { papers, papersJson, items } = await readGenerationFiles(indexDir, manifest);
  return { manifest, papers, vectors: new Map(items.map((item) => [item.id, item.vector])), papersJson };
}
