import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Paper } from '../corpus/paper.js';
import { IndexCorruptError } from './index-errors.js';
import { PAPERS_FILE, VECTRA_INDEX_FILE } from './index-layout.js';
import type { IndexManifest } from './index-manifest.js';

export function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A file of the index as text; a missing or empty file is an IndexCorruptError. */
export async function readIndexText(indexDir: string, filePath: string, label: string): Promise<string> {
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

async function readIndexJson(indexDir: string, filePath: string, label: string): Promise<{ value: unknown; text: string }> {
  const text = await readIndexText(indexDir, filePath, label);
  try {
    return { value: JSON.parse(text), text };
  } catch (error) {
    throw new IndexCorruptError(indexDir, `${label} is not valid JSON: ${errorMessage(error)}`, { cause: error });
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

/** One stored vector of index.json. */
export interface StoredItem {
  id: string;
  vector: number[];
}

function validateItems(indexDir: string, manifest: IndexManifest, papers: readonly Paper[], items: unknown): StoredItem[] {
  if (!Array.isArray(items)) throw new IndexCorruptError(indexDir, `${VECTRA_INDEX_FILE} has no items array`);
  if (items.length !== papers.length) {
    throw new IndexCorruptError(indexDir, `${VECTRA_INDEX_FILE} holds ${items.length} vectors for ${papers.length} papers`);
  }
  const ids = new Set(papers.map((paper) => paper.id));
  for (const item of items as Partial<StoredItem>[]) {
    if (typeof item?.id !== 'string' || !ids.has(item.id)) throw new IndexCorruptError(indexDir, `${VECTRA_INDEX_FILE} holds a vector for an unknown paper`);
    if (!Array.isArray(item.vector) || item.vector.length !== manifest.embedder.dimensions) {
      throw new IndexCorruptError(indexDir, `${VECTRA_INDEX_FILE} holds a vector of the wrong dimension for ${item.id}`);
    }
  }
  return items as StoredItem[];
}

export interface GenerationFiles {
  papers: Paper[];
  /** papers.json exactly as stored. */
  papersJson: string;
  items: StoredItem[];
}

/** Read and check the current generation's papers.json and index.json (no vectra import: plain JSON). */
export async function readGenerationFiles(indexDir: string, manifest: IndexManifest): Promise<GenerationFiles> {
  const generationDir = path.join(indexDir, manifest.generation);
  const { value, text: papersJson } = await readIndexJson(indexDir, path.join(generationDir, PAPERS_FILE), PAPERS_FILE);
  const papers = validatePapers(indexDir, manifest, value);
  const { value: index } = await readIndexJson(indexDir, path.join(generationDir, VECTRA_INDEX_FILE), VECTRA_INDEX_FILE);
  const items = validateItems(indexDir, manifest, papers, (index as { items?: unknown } | null)?.items);
  return { papers, papersJson, items };
}
