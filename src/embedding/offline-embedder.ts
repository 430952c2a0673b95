import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { isStopWord, words } from '../text/tokenize.js';
import type { Embedder } from './embedder.js';
import { readWordVectors, type WordVectors } from './word-vector-asset.js';
import { createWordSimilarity, type WordSimilarity } from './word-neighbours.js';
import { zipfProbability } from './zipf.js';

/** Knobs of the SIF embedder (defaults are the tuned ones). */
export interface SifOptions {
  /** SIF smoothing `a` in a / (a + p(w)); smaller → rarer words dominate more. */
  sifA: number;
  /** Weight multiplier of out-of-vocabulary words (embedded as deterministic hashed vectors). 0 ignores them. */
  oovWeight: number;
  /** Project out the asset's common components (SIF step 2, generalised to the top few directions). */
  removeCommonComponent: boolean;
}

export const DEFAULT_SIF_OPTIONS: SifOptions = { sifA: 1e-4, oovWeight: 0, removeCommonComponent: true };

export const OFFLINE_EMBEDDER_VERSION = 1;

/** Hashed vectors of out-of-vocabulary words kept; past this the cache starts again. */
const OOV_CACHE_LIMIT = 50_000;
/** Words sampled from the rarer half of the vocabulary to estimate a typical vector norm. */
const NORM_SAMPLES = 2_000;

/** Default asset folder: `<project root>/data/embeddings`. */
export const DEFAULT_EMBEDDING_ASSET_DIR = path.join(PROJECT_ROOT, 'data', 'embeddings');

/**
 * The offline embedder: a SIF-weighted average of compact GloVe word vectors (the corpus's top
 * common components removed, L2-normalised). Loads the committed asset in tens of milliseconds; no network.
 */
export async function createOfflineEmbedder(
  options: { assetDir?: string; sif?: Partial<SifOptions> } = {},
): Promise<Embedder & { readonly wordSimilarity: WordSimilarity }> {
  const vectors = await readWordVectors(options.assetDir ?? DEFAULT_EMBEDDING_ASSET_DIR);
  return createSifEmbedder(vectors, options.sif);
}

/** A SIF embedder over loaded word vectors (synchronous; the embedding itself is pure CPU). */
export function createSifEmbedder(
  wv: WordVectors,
  overrides: Partial<SifOptions> = {},
): Embedder & { embedOne(text: string): Float32Array; readonly wordSimilarity: WordSimilarity } {
  const opts = { ...DEFAULT_SIF_OPTIONS, ...overrides };
  const { dims } = wv.manifest;
  const pOf = (rank: number) => zipfProbability(rank, wv.manifest.sourceVocabularySize);
  // Per-row weight × dequantisation scale, precomputed.
  const rowFactor = new Float32Array(wv.words.length);
  for (let i = 0; i < rowFactor.length; i++) {
    rowFactor[i] = (opts.sifA / (opts.sifA + pOf(wv.ranks[i]!))) * wv.scales[i]!;
  }
  const oovFactor = opts.oovWeight * (opts.sifA / (opts.sifA + pOf(wv.manifest.sourceVocabularySize)));
  const oovNorm = typicalNorm(wv);
  const common = opts.removeCommonComponent ? wv.manifest.commonComponents.map((c) => Float32Array.from(c)) : [];
  const oovCache = new Map<string, Float32Array>();

  const oovVector = (word: string): Float32Array => {
    let v = oovCache.get(word);
    if (!v) {
      v = hashedVector(word, dims, oovNorm);
      if (oovCache.size > OOV_CACHE_LIMIT) oovCache.clear();
      oovCache.set(word, v);
    }
    return v;
  };

  const addRow = (acc: Float32Array, row: number) => {
    const f = rowFactor[row]!;
    const base = row * dims;
    const vec = wv.vectors;
    for (let d = 0; d < dims; d++) acc[d]! += f * vec[base + d]!;
  };

  const addWord = (acc: Float32Array, word: string): boolean => {
    const row = wv.index.get(word);
    if (row !== undefined) {
      addRow(acc, row);
      return true;
    }
    if (word.includes('-') || word.includes("'")) {
      const joined = wv.index.get(word.replace(/[-']/g, ''));
      if (joined !== undefined) {
        addRow(acc, joined);
        return true;
      }
      let any = false;
      for (const part of word.split(/[-']/)) {
        if (part && !isStopWord(part)) any = addWord(acc, part) || any;
      }
      return any;
    }
    if (oovFactor > 0 && word.length > 1) {
      const v = oovVector(word);
      for (let d = 0; d < dims; d++) acc[d]! += oovFactor * v[d]!;
      return true;
    }
    return false;
  };

  const embedOne = (text: string): Float32Array => {
    const acc = new Float32Array(dims);
    for (const word of words(text)) {
      if (isStopWord(word)) continue;
      addWord(acc, word);
    }
    for (const c of common) {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += acc[d]! * c[d]!;
      for (let d = 0; d < dims; d++) acc[d]! -= dot * c[d]!;
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += acc[d]! * acc[d]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < dims; d++) acc[d]! /= norm;
    return acc;
  };

  return {
    id: `offline-glove-sif-${dims}d@${OFFLINE_EMBEDDER_VERSION}`,
    dimensions: dims,
    embedOne,
    /** Word-level neighbours (used by the hybrid searcher for query expansion). */
    wordSimilarity: createWordSimilarity(wv),
    async embed(texts: readonly string[]): Promise<number[][]> {
      return texts.map((t) => Array.from(embedOne(t)));
    },
  };
}

/** Median L2 norm of the rarer half of the vocabulary (the scale OOV vectors get). */
function typicalNorm(wv: WordVectors): number {
  const { dims } = wv.manifest;
  const norms: number[] = [];
  const n = wv.words.length;
  for (let i = Math.floor(n / 2); i < n; i += Math.max(1, Math.floor(n / NORM_SAMPLES))) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += wv.vectors[i * dims + d]! ** 2;
    norms.push(Math.sqrt(s) * wv.scales[i]!);
  }
  norms.sort((a, b) => a - b);
  return norms[Math.floor(norms.length / 2)] ?? 1;
}

/** Deterministic pseudo-random vector of a word (FNV-1a seed, xorshift, ~Gaussian by summing uniforms). */
export function hashedVector(word: string, dims: number, norm: number): Float32Array {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    h ^= word.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let state = h || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  const v = new Float32Array(dims);
  let s = 0;
  for (let d = 0; d < dims; d++) {
    v[d] = next() + next() + next() - 1.5;
    s += v[d]! * v[d]!;
  }
  const f = norm / Math.sqrt(s || 1);
  for (let d = 0; d < dims; d++) v[d]! *= f;
  return v;
}
