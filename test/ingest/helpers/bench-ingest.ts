/**
 * Ingest / index benchmark (prints figures; not a test). Run:
 *   node --import tsx test/ingest/helpers/bench-ingest.ts [count=10000] [dimensions=100]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Embedder } from '../../../src/embedding/embedder.js';
import { ingestPapers } from '../../../src/ingest/ingest-papers.js';
import { openPaperIndex } from '../../../src/store/paper-index.js';
import { makeSyntheticPapers } from './synthetic-papers.js';

const count = Number(process.argv[2] ?? 10_000);
const dimensions = Number(process.argv[3] ?? 100);

/** Trivial embedder: a pseudo-random vector seeded by a string hash of the text. */
function trivialEmbedder(dims: number): Embedder {
  return {
    id: `bench-trivial-${dims}d`,
    dimensions: dims,
    async embed(texts) {
      return texts.map((text) => {
        let h = 2166136261;
        for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
        const v = new Array<number>(dims);
        for (let i = 0; i < dims; i++) {
          h ^= h << 13;
          h ^= h >>> 17;
          h ^= h << 5;
          v[i] = (h >>> 0) / 4294967296 - 0.5;
        }
        return v;
      });
    },
  };
}

function dirSize(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const s = statSync(path.join(dir, name));
    if (s.isFile()) total += s.size;
  }
  return total;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const root = mkdtempSync(path.join(tmpdir(), 'paperbot-bench-'));
const indexDir = path.join(root, 'index');
const embedder = trivialEmbedder(dimensions);
const papers = makeSyntheticPapers(count);

let t = performance.now();
const summary = await ingestPapers({ indexDir, papers, embedder, batchSize: 256 });
const buildMs = performance.now() - t;
const manifest = readdirSync(indexDir).filter((n) => n.startsWith('gen-'))[0]!;
const vectraBytes = statSync(path.join(indexDir, manifest, 'index.json')).size;
console.log(`papers=${count} dims=${dimensions}`);
console.log(`full ingest: ${buildMs.toFixed(0)} ms (added ${summary.added}); index dir ${mb(dirSize(indexDir))} (vectra index.json ${mb(vectraBytes)})`);

t = performance.now();
const again = await ingestPapers({ indexDir, papers, embedder });
console.log(`no-op re-ingest: ${(performance.now() - t).toFixed(0)} ms (unchanged ${again.unchanged})`);

const changed = papers.map((p, i) => (i % 100 === 0 ? { ...p, contentHash: `${p.contentHash}x` } : p));
t = performance.now();
const inc = await ingestPapers({ indexDir, papers: changed, embedder });
console.log(`1% changed re-ingest: ${(performance.now() - t).toFixed(0)} ms (updated ${inc.updated})`);

t = performance.now();
const opened = await openPaperIndex({ indexDir, embedder });
const openMs = performance.now() - t;
const [q] = await embedder.embed(['a query']);
t = performance.now();
await opened.vectors.query(q!, 10);
const firstQueryMs = performance.now() - t;
const times: number[] = [];
for (let i = 0; i < 50; i++) {
  const [v] = await embedder.embed([`query ${i}`]);
  const s = performance.now();
  await opened.vectors.query(v!, 10);
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
console.log(`open (incl. vectra import + load + validation): ${openMs.toFixed(0)} ms; first query ${firstQueryMs.toFixed(1)} ms; query p50 ${times[25]!.toFixed(2)} ms`);
console.log(`RSS ${mb(process.memoryUsage().rss)}`);
rmSync(root, { recursive: true, force: true });
