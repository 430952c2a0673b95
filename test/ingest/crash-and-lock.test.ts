import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestPapers } from '../../src/ingest/ingest-papers.js';
import { IndexLockedError } from '../../src/store/index-errors.js';
import { readIndexManifest } from '../../src/store/index-manifest.js';
import { openPaperIndex } from '../../src/store/open-paper-index.js';
import { createFakeEmbedder } from '../support/fake-embedder.js';
import { startIngestChild, type RunningChild } from './helpers/run-child.js';
import { makeSyntheticPapers } from './helpers/synthetic-papers.js';

const newIndexDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-crash-')), 'index');
const children: RunningChild[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
  }
});

function start(job: Record<string, unknown>): RunningChild {
  const child = startIngestChild(job);
  children.push(child);
  return child;
}

function generations(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('gen-'))
    .sort();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe('a process killed in the middle of writing the index', () => {
  it('leaves the previous index usable, and the next ingest cleans up and succeeds', async () => {
    const indexDir = newIndexDir();
    const embedder = createFakeEmbedder({ dimensions: 16 });
    const before = makeSyntheticPapers(50, { tag: 'old ' });
    await ingestPapers({ indexDir, papers: before, embedder });

    // 1,001 papers go into the new vectra index in 2 blocks (progress is reported every 1,000); the child
    // blocks inside vectra's update (beginUpdate … endUpdate) after the first block, and is killed there.
    const count = 1_001;
    const child = start({ mode: 'block-in-write', indexDir, count, tag: 'new ', dimensions: 16 });
    const inWrite = await child.waitFor('in-write', 'error', 'done');
    expect(inWrite.event).toBe('in-write');
    expect(inWrite.done).toBe(1_000);
    child.process.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');

    // The new generation folder exists (vectra created its index there) but was never committed.
    expect(generations(indexDir)).toEqual(['gen-000001', 'gen-000002']);
    expect((await readIndexManifest(indexDir))!.generation).toBe('gen-000001');

    const opened = await openPaperIndex({ indexDir, embedder });
    expect(opened.papers.map((p) => p.id)).toEqual(before.map((p) => p.id));
    const [query] = await embedder.embed([`${before[3]!.title}\n\n${before[3]!.abstract}`]);
    expect((await opened.vectors.query(query!, 1))[0]!.id).toBe(before[3]!.id);

    // The dead writer's lock is recovered at once (no wait) and leftovers are removed.
    const summary = await ingestPapers({ indexDir, papers: makeSyntheticPapers(count, { tag: 'new ' }), embedder });
    expect(summary.added).toBe(count);
    expect(summary.removed).toBe(50);
    expect(filesUnder(indexDir).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(generations(indexDir)).toEqual(['gen-000001', 'gen-000003']);
    expect((await openPaperIndex({ indexDir, embedder })).papers).toHaveLength(count);
  }, 120_000); // a child process and 1,001 papers written twice: slow on a loaded machine
});

describe('the writer lock across processes', () => {
  it('gives a second concurrent ingest (in a child process) a clear error and leaves the index intact', async () => {
    const indexDir = newIndexDir();
    const papers = makeSyntheticPapers(20);
    let releaseEmbed!: () => void;
    const gate = new Promise<void>((resolve) => (releaseEmbed = resolve));
    let embedStarted!: () => void;
    const embedding = new Promise<void>((resolve) => (embedStarted = resolve));
    const fake = createFakeEmbedder({ dimensions: 16 });
    const slow = {
      id: fake.id,
      dimensions: 16,
      embed: async (texts: readonly string[]) => {
        embedStarted();
        await gate;
        return fake.embed(texts);
      },
    };
    const running = ingestPapers({ indexDir, papers, embedder: slow });
    await embedding; // the lock is held from before embedding until the commit

    const child = start({ mode: 'ingest', indexDir, count: 5, dimensions: 16 });
    const result = await child.waitFor('done', 'error');
    expect(result.event).toBe('error');
    expect(result.code).toBe('index-locked');
    expect(result.message).toMatch(new RegExp(`^Another ingest is running \\(pid ${process.pid}`));

    releaseEmbed();
    expect((await running).added).toBe(20);
    expect((await openPaperIndex({ indexDir })).papers).toHaveLength(20);
  });

  it('reports the child holding the lock, then recovers the lock once the child is killed', async () => {
    const indexDir = newIndexDir();
    const embedder = createFakeEmbedder({ dimensions: 16 });
    const child = start({ mode: 'block-in-embed', indexDir, count: 10, dimensions: 16 });
    const embedding = await child.waitFor('embedding', 'error');
    expect(embedding.event).toBe('embedding');

    const error = await ingestPapers({ indexDir, papers: makeSyntheticPapers(5), embedder }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexLockedError);
    expect((error as IndexLockedError).pid).toBe(child.process.pid);
    expect((error as Error).message).toContain(`pid ${child.process.pid}`);

    child.process.kill('SIGKILL');
    await child.exited;
    const summary = await ingestPapers({ indexDir, papers: makeSyntheticPapers(5), embedder });
    expect(summary.added).toBe(5);
  });
});
