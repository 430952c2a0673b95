/**
 * Child process for crash / lock tests, run as a process (`node --import tsx ingest-child.ts`, or its compiled copy in a test run: nodeArgsFor) with a JSON job
 * in the PAPERBOT_CHILD_JOB environment variable. It reports on stdout, one JSON line per event,
 * written synchronously so the parent sees it even if the child blocks right after.
 *
 * modes:
 *  - ingest:          ingest `count` synthetic papers, print {event:"done", summary} or {event:"error", code, message}
 *  - block-in-embed:  ingest with an embedder that prints {event:"embedding"} and never returns (holds the lock)
 *  - block-in-write:  ingest; once the first block of vectors is in the new generation's vectra index
 *                     (inside LocalIndex beginUpdate … endUpdate, before the commit) print
 *                     {event:"in-write", done, total} and block the thread (the parent kills it)
 */
import { writeSync } from 'node:fs';
import type { Embedder } from '../../../src/embedding/embedder.js';
import { ingestPapers } from '../../../src/ingest/ingest-papers.js';
import { createFakeEmbedder } from '../../support/fake-embedder.js';
import { makeSyntheticPapers } from './synthetic-papers.js';

interface Job {
  mode: 'ingest' | 'block-in-embed' | 'block-in-write';
  indexDir: string;
  count: number;
  tag?: string;
  dimensions?: number;
}

const job = JSON.parse(process.env.PAPERBOT_CHILD_JOB ?? '{}') as Job;
const report = (value: object) => writeSync(1, `${JSON.stringify({ pid: process.pid, ...value })}\n`);

const fake = createFakeEmbedder({ dimensions: job.dimensions ?? 16 });
const embedder: Embedder =
  job.mode === 'block-in-embed'
    ? {
        id: fake.id,
        dimensions: fake.dimensions,
        embed: () => {
          report({ event: 'embedding' });
          setInterval(() => undefined, 60_000);
          return new Promise<number[][]>(() => undefined);
        },
      }
    : fake;

let blocked = false;
try {
  const summary = await ingestPapers({
    indexDir: job.indexDir,
    papers: makeSyntheticPapers(job.count, { tag: job.tag ?? '' }),
    embedder,
    onProgress: (progress) => {
      if (job.mode === 'block-in-write' && !blocked && progress.phase === 'writing' && progress.done > 0 && progress.done < progress.total) {
        blocked = true;
        report({ event: 'in-write', done: progress.done, total: progress.total });
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
      }
    },
  });
  report({ event: 'done', summary });
} catch (error) {
  report({ event: 'error', code: (error as { code?: string }).code, message: (error as Error).message });
}
