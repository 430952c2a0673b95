import { fetchFeeds, type FetchFeedsOptions, type FetchFeedsResult } from './fetch-feeds.js';
import { mergeFeedPapers, type MergeFeedPapersResult } from './merge-feed-papers.js';
import { summariseFetch, type FetchSummary } from './summarise-fetch.js';

export interface FetchIntoCorpusOptions extends FetchFeedsOptions {
  corpusDir: string;
  /** Fetch and count, but write nothing. */
  dryRun?: boolean;
}

export interface FetchIntoCorpusResult {
  fetched: FetchFeedsResult;
  merged: MergeFeedPapersResult;
  summary: FetchSummary;
}

/**
 * Fetch every feed and merge the papers into the corpus folder's feeds.jsonl (see mergeFeedPapers).
 * Feed faults are reported in the summary, never thrown. When `merged.written`, run the corpus
 * ingest to index the new and updated papers.
 */
export async function fetchIntoCorpus(options: FetchIntoCorpusOptions): Promise<FetchIntoCorpusResult> {
  const fetched = await fetchFeeds(options);
  const dryRun = options.dryRun ?? false;
  const merged = await mergeFeedPapers({ corpusDir: options.corpusDir, papers: fetched.papers, dryRun });
  return { fetched, merged, summary: summariseFetch(fetched, merged, dryRun) };
}
