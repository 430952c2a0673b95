/**
 * Fetch benchmark: `paperbot fetch`'s feed layer pulling N new papers (default 2,000) from a fake
 * arXiv paged by 100, then merging them into a fresh corpus folder (feeds.jsonl). The fake arXiv runs
 * in a child process (this script with `--serve`), so the figures are the fetching process's own.
 * arXiv's 3 s politeness waits are counted but not slept; the wall time excludes them.
 *
 *   node --import tsx scripts/bench-fetch.ts [--papers 2000] [--page-size 100]
 *
 * Prints requests, papers, fetch wall time, the politeness waits a real run adds, merge time and
 * peak RSS. Then the running bot's path: a core over the bundled corpus (as `npm start` loads it)
 * runs the same fetch through `paperbot.fetchFeeds` (fetch, merge, ingest under the writer lock,
 * reload) and the time from the end of the fetch to the first search that finds a new paper is
 * printed, split into merge + ingest and the reload. Exits 1 when not every paper arrived.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createPaperbot } from '../src/app/create-paperbot.js';
import { loadConfig } from '../src/config.js';
import { fetchFeeds } from '../src/feeds/fetch-feeds.js';
import { systemFeedTimers, type FeedTimers } from '../src/feeds/feed-timers.js';
import { parseFeedList } from '../src/feeds/feed-spec.js';
import { mergeFeedPapers } from '../src/feeds/merge-feed-papers.js';
import { startFakeArxivServer } from '../test/support/fake-arxiv-server.js';
import { syntheticArxivEntries } from '../test/support/synthetic-arxiv-entries.js';

const { values: args } = parseArgs({
  options: {
    papers: { type: 'string', default: '2000' },
    'page-size': { type: 'string', default: '100' },
    serve: { type: 'boolean', default: false },
  },
});
const PAPERS = Number(args.papers);
const PAGE_SIZE = Number(args['page-size']);
const QUERY = 'cat:cs.LG AND abs:"continual learning"';
const NOW = Date.now();
const SINCE_MS = 30 * 86_400_000;
const MB = 1024 * 1024;

/** Child mode: serve the synthetic papers and print the base URL; exit when stdin closes. */
async function serve(): Promise<void> {
  const server = await startFakeArxivServer(syntheticArxivEntries(PAPERS, NOW));
  process.stdout.write(`READY ${server.baseURL}\n`);
  process.stdin.resume();
  await once(process.stdin, 'end');
  await server.close();
}

async function startServerProcess() {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', '--papers', String(PAPERS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (line.startsWith('READY ')) return { child, baseURL: line.slice('READY '.length) };
  }
  throw new Error('the fake arXiv process ended before it was ready');
}

/** Real timeouts; politeness and retry waits are added up instead of slept. */
function countingTimers(): FeedTimers & { waitedMs: number } {
  const timers = { ...systemFeedTimers, waitedMs: 0, now: () => Date.now() + timers.waitedMs };
  timers.sleep = async (ms: number) => {
    timers.waitedMs += ms;
  };
  return timers;
}

/** The running bot's path: fetch → merge → ingest → reload → searchable, in one core as the bot runs it. */
async function measureRunningBot(baseURL: string, dataDir: string): Promise<void> {
  const reloads: { ms: number; papers: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void (JSON.parse(line).event === 'index-reloaded' && reloads.push(JSON.parse(line) as { ms: number; papers: number })) });
  const paperbot = await createPaperbot(loadConfig({ PAPERBOT_DATA_DIR: dataDir }), { logger });
  const before = paperbot.paperCount();
  let fetchEnd = 0;
  const started = performance.now();
  await paperbot.fetchFeeds({
    feeds: parseFeedList(`arxiv:${QUERY}`),
    since: new Date(NOW - SINCE_MS),
    arxivApiBase: baseURL,
    hfApiBase: baseURL,
    http: { userAgent: 'paperbot-bench (+mailto:bench@example.org)', timeoutMs: 30_000 },
    timers: countingTimers(),
    arxivPageSize: PAGE_SIZE,
    onProgress: (event) => void (event.kind === 'feed-done' && (fetchEnd = performance.now())),
  });
  const returned = performance.now();
  const lastId = `arxiv-2501.${10_000 + PAPERS - 1}`;
  const response = await paperbot.search(`Synthetic study ${PAPERS - 1}`, { k: 10 });
  const searchable = performance.now();
  const found = response.hits.some((hit) => hit.paper.id === lastId);
  const reload = reloads.at(-1);
  console.log(`running bot (core over the bundled ${before} papers, offline embedder): fetch → merge → ingest → reload, then /search`);
  console.log(`  fetch (politeness waits excluded): ${((fetchEnd - started) / 1000).toFixed(2)} s`);
  console.log(`  fetch end → searchable: ${((searchable - fetchEnd) / 1000).toFixed(2)} s (merge + ingest of ${PAPERS} new papers ${((returned - fetchEnd - (reload?.ms ?? 0)) / 1000).toFixed(2)} s, reload ${reload?.ms ?? '?'} ms, first search ${(searchable - returned).toFixed(0)} ms)`);
  console.log(`  papers served: ${before} → ${paperbot.paperCount()}; the last new paper found by /search: ${found ? 'yes' : 'NO'}`);
  console.log(`  peak RSS of the whole benchmark process: ${((process.resourceUsage().maxRSS * 1024) / MB).toFixed(0)} MB`);
  await paperbot.close();
  if (!found || paperbot.paperCount() !== before + PAPERS) process.exitCode = 1;
}

async function main(): Promise<void> {
  const { child, baseURL } = await startServerProcess();
  const corpusRoot = await mkdtemp(path.join(os.tmpdir(), 'paperbot-bench-fetch-'));
  try {
    const timers = countingTimers();
    let requests = 0;
    const rssBefore = process.memoryUsage().rss;
    const fetchStart = performance.now();
    const result = await fetchFeeds({
      feeds: parseFeedList(`arxiv:${QUERY}`),
      since: new Date(NOW - SINCE_MS),
      arxivApiBase: baseURL,
      hfApiBase: baseURL,
      http: { userAgent: 'paperbot-bench (+mailto:bench@example.org)', timeoutMs: 30_000 },
      timers,
      arxivPageSize: PAGE_SIZE,
      onProgress: (event) => void (event.kind === 'request' && (requests += 1)),
    });
    const fetchMs = performance.now() - fetchStart;
    const mergeStart = performance.now();
    const merged = await mergeFeedPapers({ corpusDir: path.join(corpusRoot, 'corpus'), papers: result.papers });
    const mergeMs = performance.now() - mergeStart;
    const peakRssMb = (process.resourceUsage().maxRSS * 1024) / MB;
    const report = result.perFeed[0];
    console.log('paperbot fetch benchmark');
    console.log(`setup: fake arXiv in a child process on loopback, ${PAPERS} synthetic papers, max_results=${PAGE_SIZE}; Node ${process.version}, ${os.cpus().length} cores`);
    console.log(`feed status: ${report?.status}${report?.error ? ` (${report.error})` : ''}; requests: ${requests}; papers fetched: ${result.papers.length}; skipped: ${report?.skipped.length ?? 0}`);
    console.log(`fetch wall time, politeness waits excluded: ${(fetchMs / 1000).toFixed(2)} s (${(fetchMs / Math.max(1, requests)).toFixed(1)} ms per page)`);
    console.log(`politeness waits a real run adds: ${(timers.waitedMs / 1000).toFixed(0)} s (3 s between arXiv requests)`);
    console.log(`merge into feeds.jsonl: ${merged.added.length} new in ${mergeMs.toFixed(0)} ms`);
    console.log(`RSS before fetch: ${(rssBefore / MB).toFixed(0)} MB; peak RSS: ${peakRssMb.toFixed(0)} MB`);
    if (result.papers.length !== PAPERS) process.exitCode = 1;
    await measureRunningBot(baseURL, path.join(corpusRoot, 'bot'));
  } finally {
    child.stdin?.end();
    await once(child, 'exit');
    await rm(corpusRoot, { recursive: true, force: true });
  }
}

await (args.serve ? serve() : main());
