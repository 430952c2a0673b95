import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ParsedCorpus, Paper, SkippedRecord } from '../corpus/paper.js';
import { corpusFormatOf, parseCorpusFile } from '../corpus/parse-corpus-file.js';
import { previewText } from '../corpus/preview-text.js';
import { readCorpusFile } from '../corpus/read-corpus-file.js';
import { UserFacingError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { ensureDirectory } from '../store/ensure-directory.js';
import type { CorpusFileStamp } from '../store/index-manifest.js';
import { orderCorpusFiles, readCorpusOrder } from './corpus-order.js';

/** Names of the corpus files (.txt / .jsonl / .ndjson regular files) in a folder, sorted; [] when it does not exist. */
export async function listCorpusFiles(corpusDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(corpusDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.') || !corpusFormatOf(name)) continue;
    if ((await stat(path.join(corpusDir, name))).isFile()) files.push(name);
  }
  return files;
}

/** Size + mtime of every corpus file: the cheap fingerprint recorded in the index manifest. */
export async function stampCorpusDir(corpusDir: string): Promise<CorpusFileStamp[]> {
  const stamps: CorpusFileStamp[] = [];
  for (const name of await listCorpusFiles(corpusDir)) {
    const stats = await stat(path.join(corpusDir, name));
    stamps.push({ name, size: stats.size, mtimeMs: stats.mtimeMs });
  }
  return stamps;
}

export interface EnsureCorpusResult {
  /** True when the folder had no corpus file and the bundled corpus was copied in. */
  seeded: boolean;
  files: string[];
}

/**
 * Create the corpus folder if needed and seed it with the bundled corpus file (copied atomically)
 * when it has no corpus file. Call it under the index writer lock.
 */
export async function ensureCorpus(corpusDir: string, bundledCorpusFile: string): Promise<EnsureCorpusResult> {
  await ensureDirectory(corpusDir);
  const existing = await listCorpusFiles(corpusDir);
  if (existing.length > 0) return { seeded: false, files: existing };
  await writeFileAtomic(path.join(corpusDir, path.basename(bundledCorpusFile)), await readCorpusFile(bundledCorpusFile));
  return { seeded: true, files: await listCorpusFiles(corpusDir) };
}

/** A UserFacingError unless the corpus folder exists. */
export async function assertCorpusDir(corpusDir: string): Promise<void> {
  try {
    if (!(await stat(corpusDir)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new UserFacingError('corpus-missing', `The corpus folder ${corpusDir} does not exist or is not a folder.`, { cause: error });
  }
}

function duplicateReason(first: Paper, paper: Paper): string {
  return (
    `duplicate of "${previewText(first.title)}" from ${first.source.file}:${first.source.line}, a file added to the corpus earlier, which wins ` +
    `(to use this version instead, ingest ${paper.source.file} again with --replace)`
  );
}

/**
 * Parse every corpus file of a folder into one corpus, in precedence order: `order` when given,
 * else the recorded order of addition (see corpus-order.ts). When several files hold the same paper
 * (same id), the first in that order wins and the others are reported as skipped. A missing folder
 * is a UserFacingError.
 */
export async function loadCorpusDir(corpusDir: string, order?: readonly string[]): Promise<ParsedCorpus> {
  await assertCorpusDir(corpusDir);
  const files = order ?? orderCorpusFiles(await listCorpusFiles(corpusDir), (await readCorpusOrder(corpusDir)).files);
  const papers: Paper[] = [];
  const skipped: SkippedRecord[] = [];
  const firstSeen = new Map<string, Paper>();
  for (const name of files) {
    const parsed = await parseCorpusFile(path.join(corpusDir, name));
    skipped.push(...parsed.skipped);
    for (const paper of parsed.papers) {
      const first = firstSeen.get(paper.id);
      if (first) {
        skipped.push({ file: paper.source.file, line: paper.source.line, reason: duplicateReason(first, paper) });
        continue;
      }
      firstSeen.set(paper.id, paper);
      papers.push(paper);
    }
  }
  return { papers, skipped };
}
