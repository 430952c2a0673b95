import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { parseCorpusFile } from '../corpus/parse-corpus-file.js';
import { UserFacingError } from '../errors.js';
import { listCorpusFiles } from '../ingest/corpus-dir.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import type { FeedPaper } from './feed-paper.js';
import { corpusPaperKeys, planFeedMerge, type MergeSkip } from './plan-feed-merge.js';

/** The corpus file fetched papers are merged into. */
export const FEEDS_CORPUS_FILE = 'feeds.jsonl';
/** A lock older than this (its holder died) is taken over. */
const LOCK_STALE_MS = 15_000;
const LOCK_RETRY_MS = 250;
const DEFAULT_LOCK_WAIT_MS = 5_000;

export interface MergeFeedPapersOptions {
  corpusDir: string;
  papers: readonly FeedPaper[];
  /** Default `feeds.jsonl`. */
  fileName?: string;
  /** Work out the counts without writing anything. */
  dryRun?: boolean;
  /** How long to wait for another merge into the same file (default 5 s). */
  lockWaitMs?: number;
}

export interface MergeFeedPapersResult {
  /** Path of the feeds corpus file. */
  file: string;
  added: FeedPaper[];
  updated: FeedPaper[];
  unchanged: number;
  skipped: MergeSkip[];
  /** True when the file was (atomically) rewritten. */
  written: boolean;
}

async function readLines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** corpusPaperKeys → `file:line` for every paper of the corpus files other than `exclude`. */
async function indexOtherCorpusFiles(corpusDir: string, exclude: string): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const name of await listCorpusFiles(corpusDir)) {
    if (name === exclude) continue;
    let papers;
    try {
      ({ papers } = await parseCorpusFile(path.join(corpusDir, name)));
    } catch {
      continue; // An unreadable corpus file is the ingest's to report.
    }
    for (const paper of papers) {
      for (const key of corpusPaperKeys(paper)) if (!keys.has(key)) keys.set(key, `${name}:${paper.source.line}`);
    }
  }
  return keys;
}

async function lockFeedsFile(corpusDir: string, file: string, waitMs: number): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(file, {
      realpath: false,
      lockfilePath: path.join(corpusDir, `.${path.basename(file)}.lock`),
      stale: LOCK_STALE_MS,
      retries: { retries: Math.ceil(waitMs / LOCK_RETRY_MS), minTimeout: LOCK_RETRY_MS, maxTimeout: LOCK_RETRY_MS, factor: 1 },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    throw new UserFacingError('feeds-file-locked', `Another fetch is updating ${path.basename(file)}; try again when it has finished.`, { cause: error });
  }
}

/**
 * Merge fetched papers into the feeds corpus file (`<corpusDir>/feeds.jsonl`): one JSONL record per
 * arXiv id, the newer revision wins, papers already in another corpus file are skipped. The file is
 * rewritten atomically (temp file, fsync, rename) under a lock, and only when something changed.
 * Run the normal corpus ingest afterwards to index the result.
 */
export async function mergeFeedPapers(options: MergeFeedPapersOptions): Promise<MergeFeedPapersResult> {
  const fileName = options.fileName ?? FEEDS_CORPUS_FILE;
  const file = path.join(options.corpusDir, fileName);
  await mkdir(options.corpusDir, { recursive: true });
  const release = options.dryRun ? undefined : await lockFeedsFile(options.corpusDir, file, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  try {
    const plan = planFeedMerge(await readLines(file), options.papers, await indexOtherCorpusFiles(options.corpusDir, fileName));
    const changed = plan.added.length + plan.updated.length > 0;
    if (changed && !options.dryRun) await writeFileAtomic(file, `${plan.lines.join('\n')}\n`);
    return { file, added: plan.added, updated: plan.updated, unchanged: plan.unchanged.length, skipped: plan.skipped, written: changed && !options.dryRun };
  } finally {
    await release?.();
  }
}
