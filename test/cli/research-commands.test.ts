import { rmSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@retorquere/bibtex-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import { stateDatabasePath } from '../../src/state/sqlite/open-state-database.js';
import { createGapLog } from '../../src/gaps/gap-log.js';
import { makeIndexedDataDir } from '../support/indexed-data-dir.js';
import { runCliInProcess } from '../support/run-cli.js';

let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = await makeIndexedDataDir();
  env = { PAPERBOT_DATA_DIR: dataDir };
  const first = await runCliInProcess(['papers', '--json'], { env });
  expect(first.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const VIDEOMAE = 'VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking';

describe('paperbot ask --bib', () => {
  it("prints only the answer's sources as BibTeX that a BibTeX parser reads back", async () => {
    const run = await runCliInProcess(['ask', 'How does VideoMAE V2 scale video masked autoencoders?', '--bib'], { env });
    expect(run.code).toBe(0);
    const library = parse(run.stdout, { sentenceCase: false });
    expect(library.errors).toEqual([]);
    expect(library.entries.length).toBeGreaterThan(0);
    expect(library.entries.every((entry) => entry.type === 'misc')).toBe(true);
    expect(library.entries.map((entry) => entry.fields.title)).toContain(VIDEOMAE);
    expect(new Set(library.entries.map((entry) => entry.key)).size).toBe(library.entries.length);
    expect(run.stderr).toMatch(/^\d+ sources? as BibTeX\.$/m);
  });

  it('prints nothing on stdout when the question is off-topic (refused)', async () => {
    const run = await runCliInProcess(['ask', 'best sourdough bread recipe with rye flour', '--bib'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('No sources to export');
  });
});

describe('paperbot export --thread', () => {
  const papers = async () => JSON.parse(`[${(await runCliInProcess(['papers', '--json'], { env })).stdout.trim().split('\n').join(',')}]`) as { id: string; title: string; url: string }[];

  beforeAll(async () => {
    const all = await papers();
    const videomae = all.find((p) => p.title === VIDEOMAE)!;
    const other = all[1]!;
    const stores = openSqliteStateStores(stateDatabasePath(path.join(dataDir, 'state')));
    const source = (n: number, p: { id: string; title: string; url: string }) => ({ n, id: p.id, title: p.title, url: p.url });
    const first = await stores.feedback.recordShownAnswer({ question: 'Q1', answer: 'A [1] [2].', sources: [source(1, videomae), source(2, other)], mode: 'llm', channelId: 'parent' }, 1);
    await stores.feedback.moveAnswerToChannel(first, '123456789');
    await stores.feedback.recordShownAnswer({ question: 'Q2', answer: 'A [1].', sources: [source(1, videomae)], mode: 'llm', channelId: '123456789' }, 2);
    // A paper gone from the corpus is still exported with what the answer showed.
    await stores.feedback.recordShownAnswer({ question: 'Q3', answer: 'A [1].', sources: [{ n: 1, id: 'gone-1', title: 'Gone & {Forgotten}', url: 'https://example.org/gone' }], mode: 'llm', channelId: '123456789' }, 3);
    await stores.close();
  });

  it('writes the distinct papers cited in the thread as BibTeX (default) and as Markdown', async () => {
    const bib = await runCliInProcess(['export', '--thread', '123456789'], { env });
    expect(bib.code).toBe(0);
    const library = parse(bib.stdout, { sentenceCase: false });
    expect(library.errors).toEqual([]);
    expect(library.entries.map((entry) => entry.fields.title)).toEqual([VIDEOMAE, (await papers())[1]!.title, 'Gone & {Forgotten}']);
    expect(bib.stderr).toContain('3 papers cited in thread 123456789.');

    const md = await runCliInProcess(['export', '--thread', '123456789', '--format', 'md'], { env });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Sources cited in this thread\n\n1\. \[VideoMAE V2/);
    expect(md.stdout).toContain('3. [Gone & {Forgotten}](https://example.org/gone)');
  });

  it('--out writes the file; an unknown thread is exit 1; a bad --format or --thread is exit 2', async () => {
    const out = path.join(dataDir, 'thread.bib');
    const written = await runCliInProcess(['export', '--thread', '123456789', '--out', out], { env });
    expect(written.code).toBe(0);
    expect(written.stderr).toContain(`Wrote 3 papers to ${out}.`);
    const unknown = await runCliInProcess(['export', '--thread', '42'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No answers on record in thread 42');
    expect((await runCliInProcess(['export', '--thread', '42', '--format', 'pdf'], { env })).code).toBe(2);
    const hostile = await runCliInProcess(['export', '--thread', '@everyone'], { env });
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).toContain('--thread must be a Discord thread id');
  });
});

describe('paperbot gaps', () => {
  beforeAll(async () => {
    const stores = openSqliteStateStores(stateDatabasePath(path.join(dataDir, 'state')));
    const log = createGapLog({ store: stores.gaps, retentionDays: 90, salt: undefined, now: () => Date.now() });
    const refused = { refused: true, sources: [], nearest: [] };
    for (const [user, question] of [['u1', 'protein folding with diffusion?'], ['u2', 'any protein folding papers?'], ['u2', 'sourdough bread']] as const) {
      await log.record({ question, userId: user, guildId: 'g1', command: 'ask', result: refused });
    }
    await stores.close();
  });

  it('lists the most-asked missing topics with counts and examples, as text and as JSON', async () => {
    const text = await runCliInProcess(['gaps'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Coverage gaps since \d{4}-\d{2}-\d{2}: 3 questions refused or answered without sources\.\n\s+2 {2}protein folding {2}\(2 people\)\n/);
    const json = await runCliInProcess(['gaps', '--since', '2w', '--json'], { env });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { since: string; total: number; topics: { topic: string; count: number; askers: number; examples: string[]; lastAskedAt: string }[] };
    expect(Object.keys(report)).toEqual(['since', 'total', 'topics']);
    expect(report.total).toBe(3);
    expect(report.topics[0]).toMatchObject({ topic: 'protein folding', count: 2, askers: 2 });
    expect(Object.keys(report.topics[0]!)).toEqual(['topic', 'count', 'askers', 'examples', 'lastAskedAt']);
  });

  it('a bad --since is a usage error (exit 2); --purge deletes the log', async () => {
    const bad = await runCliInProcess(['gaps', '--since', 'yesterday'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be');
    const purge = await runCliInProcess(['gaps', '--purge'], { env });
    expect(purge.code).toBe(0);
    expect(purge.stderr).toContain('Deleted 3 coverage-gap entries.');
    expect((await runCliInProcess(['gaps'], { env })).stdout).toMatch(/^No coverage gaps since/);
  });
});
