import { readFileSync } from 'node:fs';
import type { FetchFeedsOptions } from '../../src/feeds/fetch-feeds.js';
import { parseFeedList } from '../../src/feeds/feed-spec.js';
import type { FeedTimers } from '../../src/feeds/feed-timers.js';
import { renderArxivEntry, startFakeArxivServer, type ArxivEntryFixture, type FakeArxivServer } from './fake-arxiv-server.js';
import { startFakeHfServer, type FakeHfServer } from './fake-hf-server.js';

const fixturePath = (name: string) => new URL(`../fixtures/feeds/${name}`, import.meta.url);

/** The fixture arXiv query results (newest first), as Atom `<entry>` elements. */
export function loadArxivFixtureEntries(): string[] {
  const entries = JSON.parse(readFileSync(fixturePath('arxiv-continual-learning.json'), 'utf8')) as ArxivEntryFixture[];
  return entries.map(renderArxivEntry);
}

/** The fixture Hugging Face daily papers, by date. */
export function loadHfFixtureDays(): Record<string, unknown[]> {
  return JSON.parse(readFileSync(fixturePath('hf-daily-papers.json'), 'utf8')) as Record<string, unknown[]>;
}

/** "Now" in the feed tests: the fixtures' newest day, 2025-01-08 12:00 UTC. */
export const FIXTURE_NOW = Date.UTC(2025, 0, 8, 12, 0, 0);
/** A week before FIXTURE_NOW (`--since 7d`). */
export const FIXTURE_SINCE = new Date(Date.UTC(2025, 0, 1, 12, 0, 0));

/** The fixture query on arXiv, then Hugging Face daily papers. */
export const FIXTURE_FEEDS = parseFeedList('arxiv:cat:cs.LG AND abs:"continual learning"; hf:daily');
export const FIXTURE_USER_AGENT = 'paperbot-test (+mailto:ops@example.org)';
const FIXTURE_TIMEOUT_MS = 30_000;

export interface FixtureFeedServers {
  arxiv: FakeArxivServer;
  hf: FakeHfServer;
}

/** A fake arXiv serving the fixture entries and a fake Hugging Face serving the fixture days. */
export async function startFixtureFeedServers(): Promise<FixtureFeedServers> {
  return { arxiv: await startFakeArxivServer(loadArxivFixtureEntries()), hf: await startFakeHfServer(loadHfFixtureDays()) };
}

/** fetchFeeds options for FIXTURE_FEEDS against the fake servers, over the week before FIXTURE_NOW. */
export function fixtureFetchOptions(servers: FixtureFeedServers, timers: FeedTimers): FetchFeedsOptions {
  return {
    feeds: FIXTURE_FEEDS,
    since: FIXTURE_SINCE,
    arxivApiBase: servers.arxiv.baseURL,
    hfApiBase: servers.hf.baseURL,
    http: { userAgent: FIXTURE_USER_AGENT, timeoutMs: FIXTURE_TIMEOUT_MS },
    timers,
  };
}
