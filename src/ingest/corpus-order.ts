import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * Where the corpus folder records the order in which its files were added (a dot-file, so never
 * read as a corpus file). When files hold the same paper, the file added first wins.
 */
export const CORPUS_ORDER_FILE = '.corpus-order.json';
const ORDER_FORMAT_VERSION = 1;

export interface RecordedCorpusOrder {
  files: string[];
  /** True when the order file exists but cannot be read (it is then rewritten from the folder). */
  unreadable: boolean;
}

/** The recorded order of the corpus files ([] when none is recorded yet). */
export async function readCorpusOrder(corpusDir: string): Promise<RecordedCorpusOrder> {
  let text: string;
  try {
    text = await readFile(path.join(corpusDir, CORPUS_ORDER_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], unreadable: false };
    return { files: [], unreadable: true };
  }
  try {
    const value = JSON.parse(text) as { version?: unknown; files?: unknown };
    if (value.version === ORDER_FORMAT_VERSION && Array.isArray(value.files) && value.files.every((name) => typeof name === 'string')) {
      return { files: value.files as string[], unreadable: false };
    }
  } catch {
    // Not JSON: unreadable.
  }
  return { files: [], unreadable: true };
}

export async function writeCorpusOrder(corpusDir: string, files: readonly string[]): Promise<void> {
  await writeFileAtomic(path.join(corpusDir, CORPUS_ORDER_FILE), `${JSON.stringify({ version: ORDER_FORMAT_VERSION, files }, null, 1)}\n`);
}

export interface CorpusOrderChanges {
  /** Files just copied into the folder (not there before), in the order given. */
  added?: readonly string[];
  /** Files that take precedence over all others (ingested with --replace), in the order given. */
  preferred?: readonly string[];
}

/**
 * The precedence order of the corpus files `present`: `preferred` first, then the recorded files in
 * their recorded order, then files not recorded yet that were already there (copied in by hand, or
 * from before the order was recorded) by name, then `added`. Files no longer present are dropped.
 */
export function orderCorpusFiles(present: readonly string[], recorded: readonly string[], changes: CorpusOrderChanges = {}): string[] {
  const added = changes.added ?? [];
  const alreadyThere = present.filter((name) => !added.includes(name)).sort();
  const here = new Set(present);
  const order = new Set<string>();
  for (const list of [changes.preferred ?? [], recorded, alreadyThere, added]) {
    for (const name of list) if (here.has(name)) order.add(name);
  }
  return [...order];
}
