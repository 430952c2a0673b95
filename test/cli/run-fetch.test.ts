import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedTimers } from '../../src/feeds/feed-timers.js';
import { createFakeFeedTimers } from '../support/fake-feed-timers.js';
import { renderArxivEntry, startFakeArxivServer, type FakeArxivServer } from '../support/fake-arxiv-server.js';
import { makeDataDir, runCliInProcess } from '../support/run-cli.js';

// `paperbot fetch` against a fake arXiv on loopback (nothing reaches the network), run in-process: the
// exit status a shell sees from a real process is covered by cli-process.test.ts.

const ENTRIES = [
  {
    id: '2501.03333v2',
    title: 'Numbat Prompts: Continual Learning with Frozen Encoders',
    summary: 'We study continual learning with frozen encoders and a small pool of learned prompts, and show Numbat Prompts reduce forgetting on split ImageNet-R.',
    published: '2025-01-02T10:00:00Z',
    primaryCategory: 'cs.LG',
  },
  { id: '2501.04444v1', title: 'An Entry Without Abstract', published: '2025-01-02T11:00:00Z' },
];

let arxiv: FakeArxivServer;
let dataDir: string;
const env = () => ({ PAPERBOT_DATA_DIR: dataDir, FEEDS: 'arxiv:cat:cs.LG', ARXIV_API_BASE: arxiv.baseURL, FEEDS_CONTACT: 'ops@example.org' });

/** `paperbot fetch` reads its feed variables from the environment it is given, never from the process's. */
function runFetchCli(args: readonly string[], runEnv: Record<string, string>, feedTimers?: FeedTimers) {
  return runCliInProcess(args, { env: runEnv, ...(feedTimers ? { feedTimers } : {}) });
}

beforeAll(async () => {
  arxiv = await startFakeArxivServer(ENTRIES.map(renderArxivEntry));
  dataDir = await makeDataDir();
});
afterAll(async () => {
  await arxiv?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('paperbot fetch', () => {
  it('--dry-run counts and writes nothing; a real run ingests the new paper (searchable, arXiv link); a second run finds it unchanged', async () => {
    const dry = await runFetchCli(['fetch', '--since', '2025-01-01', '--dry-run', '--json'], env());
    expect(dry.code, dry.stderr).toBe(0);
    const drySummary = JSON.parse(dry.stdout) as { new: number; dryRun: boolean; skipped: { reason: string }[] };
    expect(drySummary).toMatchObject({ new: 1, dryRun: true });
    expect(drySummary.skipped).toHaveLength(1);

    const real = await runFetchCli(['fetch', '--since', '2025-01-01'], env());
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/^Fetched 1 papers: 1 new, 0 updated, 0 unchanged, 1 skipped/);
    expect(arxiv.requests.at(-1)!.headers['user-agent']).toContain('ops@example.org');
    const search = await runCliInProcess(['search', 'numbat prompts frozen encoders', '--json'], { env: env() });
    const hit = (JSON.parse(search.stdout) as { results: { title: string; url: string }[] }).results[0];
    expect(hit).toEqual(expect.objectContaining({ title: ENTRIES[0]!.title, url: 'https://arxiv.org/abs/2501.03333' }));

    const again = await runFetchCli(['fetch', '--since', '2025-01-01', '--json'], env());
    expect(JSON.parse(again.stdout)).toMatchObject({ new: 0, unchanged: 1 });
  });

  it('a feed that fails: the summary names it, exit status 1; bad --since and bad FEEDS are usage errors', async () => {
    for (let i = 0; i < 3; i++) arxiv.enqueue({ kind: 'status', status: 503, headers: { 'retry-after': '0' } });
    // Three attempts, each retry after arXiv's 3 s gap: waited on a virtual clock (the waits are recorded).
    const timers = createFakeFeedTimers();
    const requestsBefore = arxiv.requests.length;
    const failed = await runFetchCli(['fetch', '--since', '2025-01-01'], env(), timers);
    expect(arxiv.requests.length - requestsBefore).toBe(3);
    expect(timers.sleeps).toEqual([0, 3_000, 0, 3_000]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('arxiv:cat:cs.LG: FAILED');
    expect(failed.stderr).toContain('1 feed(s) failed: arxiv:cat:cs.LG; the next fetch retries them.');
    const badSince = await runFetchCli(['fetch', '--since', 'yesterday'], env());
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toContain('--since');
    const badFeeds = await runFetchCli(['fetch'], { ...env(), FEEDS: 'gopher:nope' });
    expect(badFeeds.code).toBe(2);
    expect(badFeeds.stderr).toContain('FEEDS');
  });
});
