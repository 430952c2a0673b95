import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Paperbot } from '../../src/app/paperbot.js';
import type { CronScheduler } from '../../src/bot/digest/digest-schedule.js';
import type { FetchConfig } from '../../src/bot/fetch/fetch-config.js';
import { createFetchService, FIRST_FETCH_WINDOW_MS } from '../../src/bot/fetch/fetch-service.js';
import type { FetchAndIngestResult } from '../../src/feeds/fetch-and-ingest.js';
import { parseFeedSettings } from '../../src/feeds/feed-settings.js';
import { stateDatabasePath } from '../../src/state/sqlite/open-state-database.js';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import type { StateStores } from '../../src/state/state-stores.js';
import { FakeClock } from './fake-clock.js';
import { LogRecorder } from './log-recorder.js';

const DAY = 86_400_000;
const SIX_AM = Date.UTC(2025, 0, 6, 6, 0, 0);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function openState(): () => StateStores {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-fetch-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return () => {
    const stores = openSqliteStateStores(stateDatabasePath(dir));
    cleanups.push(() => stores.close());
    return stores;
  };
}

const config = (overrides: Partial<FetchConfig> = {}): FetchConfig => ({
  cron: '0 6 * * *',
  timezone: 'UTC',
  feeds: parseFeedSettings({ FEEDS: 'arxiv:cat:cs.LG; hf:daily', ARXIV_API_BASE: 'http://127.0.0.1:9', HF_API_BASE: 'http://127.0.0.1:9' }),
  ...overrides,
});

/** A core whose fetch records its window and returns what the test says (or throws). */
function fakeFetcher(result: (call: number) => Partial<FetchAndIngestResult> | Error) {
  const calls: { since: Date }[] = [];
  const paperbot: Pick<Paperbot, 'fetchFeeds'> = {
    async fetchFeeds(options) {
      calls.push({ since: options.since });
      const r = result(calls.length);
      if (r instanceof Error) throw r;
      return {
        newPaperIds: [],
        updatedPaperIds: [],
        summary: { fetched: 0, new: 0, updated: 0, unchanged: 0, skipped: [], feeds: [{ feed: 'arxiv:cat:cs.LG', status: 'ok', fetched: 0, skipped: 0, notes: [] }], dryRun: false },
        ...r,
      } as FetchAndIngestResult;
    },
  };
  return { paperbot, calls };
}

describe('createFetchService', () => {
  it('fetches once per slot even with two processes on the same state; the next slot starts a day before the last clean fetch', async () => {
    const state = openState();
    const clock = new FakeClock(SIX_AM);
    const log = new LogRecorder();
    const fetcher = fakeFetcher(() => ({ newPaperIds: ['arxiv-2501.00001'] }));
    const notified: string[][] = [];
    const make = () =>
      createFetchService({ paperbot: fetcher.paperbot, runs: state().fetchRuns, config: config(), clock, logger: log.logger, onFetched: async (outcome) => void notified.push(outcome.newPaperIds) });
    const [a, b] = [make(), make()];
    const outcomes = await Promise.all([a.tick(), b.tick()]);
    expect(outcomes.filter((o) => o.fetched)).toHaveLength(1);
    expect(outcomes.find((o) => !o.fetched)).toMatchObject({ reason: expect.stringMatching(/in-progress|already-done/) as unknown as string });
    expect(fetcher.calls).toHaveLength(1);
    expect(fetcher.calls[0]!.since.getTime()).toBe(SIX_AM - FIRST_FETCH_WINDOW_MS);
    expect(notified).toEqual([['arxiv-2501.00001']]);
    expect(await a.tick()).toEqual({ fetched: false, reason: 'already-done' });

    clock.set(SIX_AM + DAY);
    expect(await b.tick()).toMatchObject({ fetched: true, runKey: `fetch:${new Date(SIX_AM + DAY).toISOString()}` });
    expect(fetcher.calls[1]!.since.getTime()).toBe(SIX_AM - DAY);
    expect(log.count('fetch-done')).toBe(2);
  });

  it('a failed fetch is logged, never thrown, and the slot is tried again; failed feeds are kept and do not move the window', async () => {
    const state = openState()();
    const clock = new FakeClock(SIX_AM);
    const log = new LogRecorder();
    const fetcher = fakeFetcher((call) =>
      call === 1
        ? new Error('disk full')
        : { summary: { fetched: 0, new: 0, updated: 0, unchanged: 0, skipped: [], feeds: [{ feed: 'hf:daily', status: 'failed', fetched: 0, skipped: 0, notes: [], error: 'HTTP 503' }], dryRun: false } },
    );
    const service = createFetchService({ paperbot: fetcher.paperbot, runs: state.fetchRuns, config: config(), clock, logger: log.logger });
    expect(await service.tick()).toEqual({ fetched: false, reason: 'failed' });
    expect(log.count('fetch-failed')).toBe(1);
    const retried = await service.tick();
    expect(retried).toMatchObject({ fetched: true, outcome: { failedFeeds: [{ feed: 'hf:daily', error: 'HTTP 503' }] } });
    expect(await state.fetchRuns.lastCleanRun()).toBeUndefined();
    clock.set(SIX_AM + DAY);
    await service.tick();
    expect(fetcher.calls[2]!.since.getTime()).toBe(SIX_AM + DAY - FIRST_FETCH_WINDOW_MS);
  });

  it('off without feeds or with FETCH_CRON=off: no timer, no fetch', async () => {
    const state = openState()();
    const log = new LogRecorder();
    const timers: string[] = [];
    const scheduler: CronScheduler = (pattern) => {
      timers.push(pattern);
      return { stop: () => undefined };
    };
    const fetcher = fakeFetcher(() => ({}));
    for (const off of [config({ feeds: undefined }), config({ cron: null })]) {
      const service = createFetchService({ paperbot: fetcher.paperbot, runs: state.fetchRuns, config: off, clock: new FakeClock(SIX_AM), logger: log.logger, scheduler });
      await service.start();
      expect(await service.tick()).toEqual({ fetched: false, reason: 'disabled' });
    }
    expect(timers).toEqual([]);
    expect(fetcher.calls).toHaveLength(0);
    expect(log.count('fetch-off')).toBe(2);
  });
});
