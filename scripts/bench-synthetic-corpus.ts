/**
 * Deterministic synthetic corpora for the scale benchmark: realistic-looking papers made by
 * recombining the sentences and title words of the bundled corpus with a seeded PRNG.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Paper } from '../src/corpus/paper.js';

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticRecord {
  title: string;
  abstract: string;
}

/**
 * `count` records, each a title of 4–9 words drawn from the real titles (unique: a clash gets a
 * numeric suffix) and an abstract of 4–9 sentences drawn from the real abstracts.
 */
export function* syntheticRecords(source: readonly Pick<Paper, 'title' | 'abstract'>[], count: number, seed = 20240601): Generator<SyntheticRecord> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const sentences = source.flatMap((p) => p.abstract.split(/(?<=[.!?])\s+(?=[A-Z])/).filter((s) => s.length > 20));
  const titleWords = source.flatMap((p) => p.title.split(/\s+/).filter((w) => /^[\p{L}][\p{L}\p{N}-]*:?$/u.test(w)));
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const words = Array.from({ length: 4 + Math.floor(random() * 6) }, () => pick(titleWords).replace(/:$/, ''));
    let title = words.join(' ');
    title = title.charAt(0).toUpperCase() + title.slice(1);
    const key = title.toLowerCase();
    if (seen.has(key)) title = `${title} ${i}`;
    seen.add(title.toLowerCase());
    const abstract = Array.from({ length: 4 + Math.floor(random() * 6) }, () => pick(sentences)).join(' ');
    yield { title, abstract };
  }
}

/** Write `count` synthetic records as a JSON Lines corpus file (streamed). */
export async function writeSyntheticCorpus(file: string, source: readonly Pick<Paper, 'title' | 'abstract'>[], count: number, seed?: number): Promise<void> {
  const out = createWriteStream(file, 'utf8');
  let buffer = '';
  for (const record of syntheticRecords(source, count, seed)) {
    buffer += `${JSON.stringify(record)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
