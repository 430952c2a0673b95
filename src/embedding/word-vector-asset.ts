import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A compact word-vector asset: int8-quantised vectors (one scale per word), the source frequency
 * rank of each word (for SIF weights), and the words themselves.
 *
 * Files in the asset folder:
 * - `manifest.json`  – {@link WordVectorManifest}
 * - `words.txt`      – one word a line, in vector order
 * - `vectors.bin`    – header `PBWV` + u32 version + u32 count + u32 dims (little endian), then
 *                      u32 rank[count], f32 scale[count], i8 vector[count × dims]
 */
export interface WordVectorManifest {
  format: 'paperbot-word-vectors';
  version: 1;
  /** Where the vectors come from, and their licence. */
  source: string;
  licence: string;
  dims: number;
  count: number;
  /** Size of the source vocabulary the ranks refer to (for Zipf frequency estimates). */
  sourceVocabularySize: number;
  /** Orthonormal common components (top principal directions of the corpus's SIF sentence vectors), projected out of every embedding. */
  commonComponents: number[][];
}

export interface WordVectors {
  manifest: WordVectorManifest;
  words: string[];
  /** Word → row. */
  index: Map<string, number>;
  /** Source frequency rank of each row (0 = most frequent). */
  ranks: Uint32Array;
  /** Dequantisation scale of each row. */
  scales: Float32Array;
  /** Row-major int8 vectors, count × dims. */
  vectors: Int8Array;
}

const MAGIC = 'PBWV';
const HEADER_BYTES = 16;

export const WORD_VECTOR_FILES = { manifest: 'manifest.json', words: 'words.txt', vectors: 'vectors.bin' } as const;

export class WordVectorAssetError extends Error {
  override readonly name = 'WordVectorAssetError';
}

/** Load an asset folder written by {@link writeWordVectors}. */
export async function readWordVectors(dir: string): Promise<WordVectors> {
  let manifestText: string;
  let wordsText: string;
  let bin: Buffer;
  try {
    [manifestText, wordsText, bin] = await Promise.all([
      readFile(path.join(dir, WORD_VECTOR_FILES.manifest), 'utf8'),
      readFile(path.join(dir, WORD_VECTOR_FILES.words), 'utf8'),
      readFile(path.join(dir, WORD_VECTOR_FILES.vectors)),
    ]);
  } catch (error) {
    throw new WordVectorAssetError(`Cannot read the word-vector asset in ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const manifest = JSON.parse(manifestText) as WordVectorManifest;
  if (manifest.format !== 'paperbot-word-vectors' || manifest.version !== 1) {
    throw new WordVectorAssetError(`${path.join(dir, WORD_VECTOR_FILES.manifest)}: not a paperbot word-vector manifest (version 1)`);
  }
  if (bin.length < HEADER_BYTES || bin.toString('latin1', 0, 4) !== MAGIC) {
    throw new WordVectorAssetError(`${path.join(dir, WORD_VECTOR_FILES.vectors)}: bad header`);
  }
  const count = bin.readUInt32LE(8);
  const dims = bin.readUInt32LE(12);
  const expectedBytes = HEADER_BYTES + count * 8 + count * dims;
  if (count !== manifest.count || dims !== manifest.dims || bin.length !== expectedBytes) {
    throw new WordVectorAssetError(`${path.join(dir, WORD_VECTOR_FILES.vectors)}: size does not match the manifest (${count}×${dims}, ${bin.length} bytes)`);
  }
  const words = wordsText.split('\n');
  if (words.at(-1) === '') words.pop();
  if (words.length !== count) {
    throw new WordVectorAssetError(`${path.join(dir, WORD_VECTOR_FILES.words)}: ${words.length} words, manifest says ${count}`);
  }
  const index = new Map<string, number>();
  for (let i = 0; i < words.length; i++) index.set(words[i]!, i);
  // Copy the typed sections out (Buffer offsets need not be aligned).
  const ranks = new Uint32Array(bin.buffer.slice(bin.byteOffset + HEADER_BYTES, bin.byteOffset + HEADER_BYTES + count * 4));
  const scales = new Float32Array(bin.buffer.slice(bin.byteOffset + HEADER_BYTES + count * 4, bin.byteOffset + HEADER_BYTES + count * 8));
  const vectors = new Int8Array(bin.buffer, bin.byteOffset + HEADER_BYTES + count * 8, count * dims);
  return { manifest, words, index, ranks, scales, vectors };
}

/** Quantise and write an asset folder (dev-time; used by scripts/build-word-vectors.ts). */
export async function writeWordVectors(
  dir: string,
  input: { manifest: Omit<WordVectorManifest, 'format' | 'version' | 'count' | 'dims'>; dims: number; rows: { word: string; rank: number; vector: ArrayLike<number> }[] },
): Promise<WordVectorManifest> {
  const { rows, dims } = input;
  const count = rows.length;
  const bin = Buffer.alloc(HEADER_BYTES + count * 8 + count * dims);
  bin.write(MAGIC, 0, 'latin1');
  bin.writeUInt32LE(1, 4);
  bin.writeUInt32LE(count, 8);
  bin.writeUInt32LE(dims, 12);
  rows.forEach((row, i) => {
    if (row.word.includes('\n')) throw new WordVectorAssetError(`word with a newline: ${JSON.stringify(row.word)}`);
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(row.vector[d] ?? 0));
    const scale = max > 0 ? max / 127 : 1;
    bin.writeUInt32LE(row.rank, HEADER_BYTES + i * 4);
    bin.writeFloatLE(scale, HEADER_BYTES + count * 4 + i * 4);
    const base = HEADER_BYTES + count * 8 + i * dims;
    for (let d = 0; d < dims; d++) bin.writeInt8(Math.round((row.vector[d] ?? 0) / scale), base + d);
  });
  const manifest: WordVectorManifest = { format: 'paperbot-word-vectors', version: 1, ...input.manifest, dims, count };
  await writeFile(path.join(dir, WORD_VECTOR_FILES.vectors), bin);
  await writeFile(path.join(dir, WORD_VECTOR_FILES.words), rows.map((r) => r.word).join('\n') + '\n');
  await writeFile(path.join(dir, WORD_VECTOR_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
