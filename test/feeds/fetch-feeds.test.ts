import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchFeeds, type FetchFeedsOptions } from '../../src/feeds/fetch-feeds.js';
import type { FetchProgress } from '../../src/feeds/feed-fetch-context.js';
import { parseFeedList } from '../../src/feeds/feed-spec.js';
import type { FakeArxivServer } from '../support/fake-arxiv-server.js';
import type { FakeHfServer } from '../support/fake-hf-server.js';
import { createFakeFeedTimers, type FakeFeedTimers } from '../support/fake-feed-timers.js';
import { FIXTURE_FEEDS, FIXTURE_NOW, FIXTURE_USER_AGENT, fixtureFetchOptions, loadArxivFixtureEntries, loadHfFixtureDays, startFixtureFeedServers } from '../support/feed-fixtures.js';
import { startFakeHfServer } from '../support/fake-hf-server.js';

const FEEDS = FIXTURE_FEEDS;
const QUERY = 'cat:cs.LG AND abs:"continual learning"';
const ARXIV_FEED = `arxiv:${QUERY}`;
const PAGE_SIZE = 4;
/** The fixture entries submitted since FIXTURE_SINCE with a valid id and abstract, newest first. */
const RECENT_ARXIV_IDS = ['2501.04001', '2501.03502', '2501.03001', '2501.02002', '2501.01501', '2501.01001', '2501.00502', '2501.00101'];

describe('fetchFeeds against fake arXiv and Hugging Face servers', () => {
  let arxiv: FakeArxivServer;
  let hf: FakeHfServer;
  let timers: FakeFeedTimers;
  let events: FetchProgress[];

  beforeEach(async () => {
    ({ arxiv, hf } = await startFixtureFeedServers());
    timers = createFakeFeedTimers(FIXTURE_NOW);
    events = [];
  });
  afterEach(async () => {
    await Promise.all([arxiv.close(), hf.close()]);
  });

  function options(overrides: Partial<FetchFeedsOptions> = {}): FetchFeedsOptions {
    return { ...fixtureFetchOptions({ arxiv, hf }, timers), arxivPageSize: PAGE_SIZE, onProgress: (event) => events.push(event), ...overrides };
  }

  it('pages through arXiv newest first until the --since date, 3 s apart, with the User-Agent', async () => {
    const result = await fetchFeeds(options({ feeds: FEEDS.slice(0, 1) }));
    expect(arxiv.requests.map((r) => r.params)).toEqual(
      [0, 4, 8].map((start) => ({ search_query: QUERY, sortBy: 'submittedDate', sortOrder: 'descending', start: String(start), max_results: String(PAGE_SIZE) })),
    );
    expect(arxiv.requests.every((r) => r.headers['user-agent'] === FIXTURE_USER_AGENT)).toBe(true);
    expect(timers.sleeps).toEqual([3_000, 3_000]);
    expect(result.papers.map((p) => p.arxivId)).toEqual(RECENT_ARXIV_IDS);
    expect(result.perFeed).toEqual([
      {
        feed: ARXIV_FEED,
        status: 'ok',
        fetched: 8,
        skipped: [
          { reason: 'entry #4 (http://arxiv.org/abs/not-an-arxiv-id): id is not an arXiv id' },
          { reason: 'entry #5 (http://arxiv.org/abs/2501.02503v1): missing abstract' },
        ],
        notes: [],
      },
    ]);
  });

  it('asks Hugging Face once per day of the window, newest day first', async () => {
    const result = await fetchFeeds(options({ feeds: FEEDS.slice(1) }));
    expect(hf.requests.map((r) => `${r.path}?date=${r.params.date}`)).toEqual(
      ['08', '07', '06', '05', '04', '03', '02', '01'].map((day) => `/api/daily_papers?date=2025-01-${day}`),
    );
    expect(result.perFeed[0]).toMatchObject({ feed: 'hf:daily', status: 'ok', fetched: 3 });
    expect(result.perFeed[0]?.skipped).toHaveLength(3);
    expect(result.papers.map((p) => p.arxivId)).toEqual(['2501.03502', '2501.05005', '2501.01501']);
  });

  it('makes one paper of the same paper from both sources, the newer version winning', async () => {
    const result = await fetchFeeds(options());
    expect(result.perFeed.map((r) => [r.feed, r.status, r.fetched])).toEqual([
      [ARXIV_FEED, 'ok', 8],
      ['hf:daily', 'ok', 3],
    ]);
    expect(result.papers.map((p) => p.arxivId)).toEqual([...RECENT_ARXIV_IDS, '2501.05005']);
    const adapters = result.papers.find((p) => p.arxivId === '2501.03502');
    expect(adapters).toMatchObject({ version: 2, feed: ARXIV_FEED, url: 'https://arxiv.org/abs/2501.03502', categories: ['cs.LG', 'cs.CL'] });
    expect(adapters?.abstract).toContain('Version 2 adds results');
    expect(result.papers.find((p) => p.arxivId === '2501.01501')).toMatchObject({ feed: ARXIV_FEED, categories: ['cs.SE', 'cs.LG'] });
  });

  it('honours a 503 with Retry-After and still fetches every page', async () => {
    arxiv.enqueue({ kind: 'status', status: 503, headers: { 'retry-after': '7' } });
    const result = await fetchFeeds(options({ feeds: FEEDS.slice(0, 1) }));
    expect(result.perFeed[0]).toMatchObject({ status: 'ok', fetched: 8 });
    expect(arxiv.requests).toHaveLength(4);
    expect(timers.sleeps[0]).toBe(7_000);
    expect(events).toContainEqual({ kind: 'wait', feed: ARXIV_FEED, ms: 7_000, reason: 'retry', detail: expect.stringMatching(/^HTTP 503/) });
  });

  it('reports an arXiv that hangs as failed (timed out) while Hugging Face still delivers', async () => {
    arxiv.enqueue({ kind: 'hang' });
    const pending = fetchFeeds(options());
    await arxiv.waitForRequests(1);
    timers.expireTimeouts();
    const result = await pending;
    expect(result.perFeed[0]).toMatchObject({ status: 'failed', fetched: 0, error: expect.stringMatching(/^page at start=0: no complete answer from 127\.0\.0\.1:\d+ within 30 s$/) });
    expect(result.perFeed[1]).toMatchObject({ status: 'ok', fetched: 3 });
    expect(result.papers.map((p) => p.arxivId)).toEqual(['2501.03502', '2501.05005', '2501.01501']);
  });

  it('reports a feed that is down while the other still delivers', async () => {
    await hf.close();
    const result = await fetchFeeds(options());
    expect(result.perFeed[0]).toMatchObject({ status: 'ok', fetched: 8 });
    expect(result.perFeed[1]).toMatchObject({ status: 'failed', fetched: 0, error: expect.stringMatching(/^2025-01-08: connection to 127\.0\.0\.1:\d+ failed: ECONNREFUSED \(3 attempts\)$/) });
    expect(result.papers).toHaveLength(8);
    hf = await startFakeHfServer();
  });

  it('keeps the pages before malformed XML and reports where it broke', async () => {
    arxiv.enqueue({ kind: 'page', entries: loadArxivFixtureEntries().slice(0, PAGE_SIZE) });
    arxiv.enqueue({ kind: 'body', body: '<?xml version="1.0"?><feed><entry><id>http://arxiv.org/abs/2501.0', contentType: 'application/atom+xml' });
    const result = await fetchFeeds(options());
    expect(result.perFeed[0]).toMatchObject({ status: 'failed', fetched: 3, error: expect.stringMatching(/^page at start=4: malformed XML/) });
    expect(result.perFeed[1]).toMatchObject({ status: 'ok' });
    expect(result.papers.map((p) => p.arxivId).slice(0, 3)).toEqual(RECENT_ARXIV_IDS.slice(0, 3));
  });

  it('fails Hugging Face on malformed JSON, naming the day, and keeps the days before', async () => {
    hf.enqueue({ kind: 'body', body: JSON.stringify(loadHfFixtureDays()['2025-01-08']), contentType: 'application/json' });
    hf.enqueue({ kind: 'body', body: '[{"paper": {"id": "2501.0', contentType: 'application/json' });
    const result = await fetchFeeds(options({ feeds: FEEDS.slice(1) }));
    expect(result.perFeed[0]).toMatchObject({ status: 'failed', fetched: 2, error: expect.stringMatching(/^2025-01-07: malformed JSON: /) });
    expect(hf.requests).toHaveLength(2);
  });

  it('asks again for an empty page arXiv should not have sent, and fails the feed when it stays empty', async () => {
    arxiv.enqueue({ kind: 'page', entries: loadArxivFixtureEntries().slice(0, PAGE_SIZE) });
    arxiv.enqueue({ kind: 'page', entries: [] });
    arxiv.enqueue({ kind: 'page', entries: [] });
    const result = await fetchFeeds(options({ feeds: FEEDS.slice(0, 1) }));
    expect(arxiv.requests.map((r) => r.params.start)).toEqual(['0', '4', '4']);
    expect(result.perFeed[0]).toMatchObject({
      status: 'failed',
      fetched: 3,
      error: 'empty page at start=4 although arXiv reported 12 results (asked twice); the papers before it are kept and the next run retries',
    });
  });

  it('recovers from a partial page when asking again gives the whole page', async () => {
    arxiv.enqueue({ kind: 'page', entries: loadArxivFixtureEntries().slice(0, 2) });
    const result = await fetchFeeds(options({ feeds: FEEDS.slice(0, 1) }));
    expect(arxiv.requests.map((r) => r.params.start)).toEqual(['0', '0', '4', '8']);
    expect(result.perFeed[0]).toMatchObject({ status: 'ok', fetched: 8 });
  });

  it('turns an arXiv error feed into a failed feed with arXiv message', async () => {
    arxiv.enqueue({
      kind: 'body',
      contentType: 'application/atom+xml',
      body: '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#bad_query</id><title>Error</title><summary>malformed query</summary></entry></feed>',
    });
    const result = await fetchFeeds(options({ feeds: FEEDS.slice(0, 1) }));
    expect(result.perFeed[0]).toMatchObject({ status: 'failed', error: 'page at start=0: arXiv API error: malformed query' });
  });

  it('finishes a query without results after one request', async () => {
    arxiv.setEntries([], 'cat:cs.NONE');
    const result = await fetchFeeds(options({ feeds: parseFeedList('arxiv:cat:cs.NONE') }));
    expect(result).toEqual({ papers: [], perFeed: [{ feed: 'arxiv:cat:cs.NONE', status: 'ok', fetched: 0, skipped: [], notes: [] }] });
    expect(arxiv.requests).toHaveLength(1);
  });

  it('stops without an extra request when the results end on a page boundary', async () => {
    arxiv.setEntries(loadArxivFixtureEntries().slice(0, 2 * PAGE_SIZE), 'cat:cs.EIGHT');
    const result = await fetchFeeds(options({ feeds: parseFeedList('arxiv:cat:cs.EIGHT') }));
    expect(arxiv.requests.map((r) => r.params.start)).toEqual(['0', '4']);
    expect(result.perFeed[0]).toMatchObject({ status: 'ok', fetched: 6 });
  });

  it('stops at the per-feed limit and says so', async () => {
    const result = await fetchFeeds(options({ feeds: FEEDS.slice(0, 1), maxPapersPerFeed: 5 }));
    expect(result.perFeed[0]).toMatchObject({ status: 'ok', fetched: 5, notes: ['stopped at 5 papers, the limit per feed'] });
    expect(arxiv.requests).toHaveLength(2);
  });

  it('reports the feeds not finished as failed when the fetch is cancelled', async () => {
    const controller = new AbortController();
    arxiv.enqueue({ kind: 'hang' });
    const pending = fetchFeeds(options({ signal: controller.signal }));
    await arxiv.waitForRequests(1);
    controller.abort();
    const result = await pending;
    expect(result.perFeed.map((r) => [r.status, r.error])).toEqual([
      ['failed', 'fetch cancelled'],
      ['failed', 'fetch cancelled'],
    ]);
    expect(hf.requests).toHaveLength(0);
  });

  it('reports progress: each feed, request, page, politeness wait and result', async () => {
    await fetchFeeds(options({ feeds: FEEDS.slice(0, 1) }));
    expect(events.map((e) => e.kind)).toEqual(['feed-start', 'request', 'page', 'wait', 'request', 'page', 'wait', 'request', 'page', 'feed-done']);
    expect(events[2]).toEqual({ kind: 'page', feed: ARXIV_FEED, fetched: 3, total: 12 });
    expect(events[3]).toEqual({ kind: 'wait', feed: ARXIV_FEED, ms: 3_000, reason: 'politeness' });
  });
});
