import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildPaper } from '../../../src/corpus/paper-identity.js';
import type { Paper } from '../../../src/corpus/paper.js';
import { commitIndex } from '../../../src/store/commit-index.js';
import type { IndexManifest } from '../../../src/store/index-manifest.js';
import { acquireWriterLock } from '../../../src/store/writer-lock.js';
import { createFakeEmbedder } from '../../support/fake-embedder.js';

export const embedder = createFakeEmbedder({ dimensions: 16 });

export function makePapers(n: number, tag = ''): Paper[] {
  return Array.from({ length: n }, (_, i) =>
    buildPaper({ title: `Paper ${i} about topic${i % 5}${tag}`, abstract: `Abstract ${i} discussing topic${i % 5} and method${i}.` }, { file: 'x.txt', line: 2 * i + 1 }),
  );
}

/** Commit `papers` under the writer lock: a full write, or an update of `previous` when `changed` is given. */
export async function commit(
  indexDir: string,
  papers: Paper[],
  previous?: IndexManifest,
  options: { changed?: ReadonlySet<string>; vectraInsertBudget?: number } = {},
): Promise<IndexManifest> {
  const vectors = await embedder.embed(papers.map((p) => `${p.title} ${p.abstract}`));
  const byId = new Map(papers.map((p, i) => [p.id, vectors[i]!]));
  const vectorFor = (id: string) => byId.get(id)!;
  const lock = await acquireWriterLock(indexDir);
  try {
    return await commitIndex({
      indexDir,
      lock,
      previous,
      embedder,
      papers,
      vectors: options.changed ? { kind: 'update', vectorFor, changed: options.changed } : { kind: 'write', vectorFor },
      vectraInsertBudget: options.vectraInsertBudget,
    });
  } finally {
    await lock.release();
  }
}

export interface StoredIndex {
  metadata_config: { indexed?: string[] };
  items: { id: string; metadata: Record<string, unknown>; vector: number[]; metadataFile?: string }[];
}

export function readStoredIndex(indexDir: string, manifest: IndexManifest): StoredIndex {
  return JSON.parse(readFileSync(path.join(indexDir, manifest.generation, 'index.json'), 'utf8')) as StoredIndex;
}
