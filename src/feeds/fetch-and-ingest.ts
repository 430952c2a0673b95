import type { Embedder } from '../embedding/embedder.js';
import { ingestCorpusDirUnderLock, type IngestCorpusDirOptions, type IngestCorpusDirResult } from '../ingest/ingest-corpus-dir.js';
import { withWriterLock } from '../store/writer-lock.js';
import { feedPaperCorpusId } from './feed-corpus-record.js';
import { fetchFeeds, type FetchFeedsOptions } from './fetch-feeds.js';
import type { FetchIntoCorpusResult } from './fetch-into-corpus.js';
import { mergeFeedPapers } from './merge-feed-papers.js';
import { summariseFetch } from './summarise-fetch.js';

/** How long a fetch waits for another writer of the index (an ingest) before failing. */
const DEFAULT_LOCK_WAIT_MS = 120_000;

export interface FetchAndIngestOptions extends FetchFeedsOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Seeds an empty corpus folder first, as every ingest does. */
  bundledCorpusFile?: string | undefined;
  dryRun?: boolean;
  lockWaitMs?: number;
  /** Where the ingest writes the papers when not into the local index (the PostgreSQL paper store), as `paperbot ingest`. */
  writePapers?: IngestCorpusDirOptions['writePapers'];
}

export interface FetchAndIngestResult extends FetchIntoCorpusResult {
  /** The index update, when something new or changed was merged. */
  ingest?: IngestCorpusDirResult;
  /** Corpus ids of the papers this fetch added / changed (what watches and digests announce). */
  newPaperIds: string[];
  updatedPaperIds: string[];
}

/**
 * Fetch every feed (no lock held while the network is slow), then, under the index writer lock,
 * merge the papers into feeds.jsonl and run the corpus ingest (same validation, crash safety and
 * incremental embedding as `paperbot ingest`). Feed faults are in the summary, never thrown; a
 * merge that was written but not ingested (a crash) is picked up by the next ingest or start.
 */
export async function fetchAndIngest(options: FetchAndIngestOptions): Promise<FetchAndIngestResult> {
  const fetched = await fetchFeeds(options);
  const dryRun = options.dryRun ?? false;
  const mergeAndIngest = async (lock?: Parameters<typeof ingestCorpusDirUnderLock>[0]) => {
    const merged = await mergeFeedPapers({ corpusDir: options.corpusDir, papers: fetched.papers, dryRun });
    const ingest = lock && merged.written ? await ingestCorpusDirUnderLock(lock, { corpusDir: options.corpusDir, indexDir: options.indexDir, embedder: options.embedder, bundledCorpusFile: options.bundledCorpusFile, writePapers: options.writePapers }) : undefined;
    return { merged, ingest };
  };
  const { merged, ingest } = dryRun ? await mergeAndIngest() : await withWriterLock(options.indexDir, { waitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS }, mergeAndIngest);
  return {
    fetched,
    merged,
    summary: summariseFetch(fetched, merged, dryRun),
    ...(ingest ? { ingest } : {}),
    newPaperIds: merged.added.map(feedPaperCorpusId),
    updatedPaperIds: merged.updated.map(feedPaperCorpusId),
  };
}
