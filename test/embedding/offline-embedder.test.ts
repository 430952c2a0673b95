import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOfflineEmbedder, createSifEmbedder, DEFAULT_EMBEDDING_ASSET_DIR, hashedVector } from '../../src/embedding/offline-embedder.js';
import { readWordVectors, WordVectorAssetError, writeWordVectors } from '../../src/embedding/word-vector-asset.js';

const norm = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('createOfflineEmbedder', () => {
  it('names the model and its dimensions', async () => {
    const embedder = await createOfflineEmbedder();
    expect(embedder.id).toBe('offline-glove-sif-100d@1');
    expect(embedder.dimensions).toBe(100);
    expect(embedder.dimensions).toBeLessThanOrEqual(128);
  });

  it('is deterministic and returns one L2-normalised vector per text, in order', async () => {
    const embedder = await createOfflineEmbedder();
    const texts = ['Continual learning without forgetting old tasks.', 'Reinforcement learning from human feedback for chat models.'];
    const a = await embedder.embed(texts);
    const b = await (await createOfflineEmbedder()).embed([...texts].reverse());
    expect(a).toHaveLength(2);
    expect(a[0]).toEqual(b[1]);
    expect(a[1]).toEqual(b[0]);
    for (const v of a) {
      expect(v).toHaveLength(100);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('puts related texts closer than unrelated ones', async () => {
    const embedder = await createOfflineEmbedder();
    const [robot, robotArm, cake] = await embedder.embed([
      'a robot learns to grasp objects with its hand',
      'robotic manipulation: picking up items with a gripper',
      'bake the chocolate cake in the oven for forty minutes',
    ]);
    expect(dot(robot!, robotArm!)).toBeGreaterThan(dot(robot!, cake!) + 0.1);
  });

  it('returns a zero vector for empty text, stop words only, or unknown words only', async () => {
    const embedder = await createOfflineEmbedder();
    const vectors = await embedder.embed(['', '   ', 'the of and which', 'qzxwv blorptastic']);
    for (const v of vectors) {
      expect(v).toHaveLength(100);
      expect(v.every((x) => x === 0)).toBe(true);
    }
  });

  it('ignores unknown words next to known ones, and embeds them as hashed vectors when oovWeight > 0', async () => {
    const wv = await readWordVectors(DEFAULT_EMBEDDING_ASSET_DIR);
    const plain = createSifEmbedder(wv);
    expect(plain.embedOne('memory qzxwv')).toEqual(plain.embedOne('memory'));
    const withOov = createSifEmbedder(wv, { oovWeight: 1 });
    const v = Array.from(withOov.embedOne('qzxwv'));
    expect(norm(v)).toBeCloseTo(1, 5);
    expect(Array.from(withOov.embedOne('qzxwv'))).toEqual(v);
    expect(Array.from(withOov.embedOne('blorptastic'))).not.toEqual(v);
  });

  it('handles hyphenated words through their parts when the whole is unknown', async () => {
    const wv = await readWordVectors(DEFAULT_EMBEDDING_ASSET_DIR);
    const e = createSifEmbedder(wv);
    expect(wv.index.has('rehearsal-free')).toBe(false);
    expect(Array.from(e.embedOne('rehearsal-free'))).toEqual(Array.from(e.embedOne('rehearsal free')));
  });

  it('fails with a clear error when the asset folder is missing', async () => {
    const dir = path.join(os.tmpdir(), 'paperbot-no-such-asset');
    await expect(createOfflineEmbedder({ assetDir: dir })).rejects.toThrow(WordVectorAssetError);
    await expect(createOfflineEmbedder({ assetDir: dir })).rejects.toThrow(dir);
  });
});

describe('word-vector asset', () => {
  it('round-trips words, ranks and int8-quantised vectors', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-wv-'));
    await writeWordVectors(dir, {
      manifest: { source: 'test', licence: 'PDDL', sourceVocabularySize: 10, commonComponents: [] },
      dims: 3,
      rows: [
        { word: 'alpha', rank: 0, vector: [1, -0.5, 0.25] },
        { word: 'beta', rank: 7, vector: [0, 0, 0] },
      ],
    });
    const wv = await readWordVectors(dir);
    expect(wv.words).toEqual(['alpha', 'beta']);
    expect(Array.from(wv.ranks)).toEqual([0, 7]);
    const alpha = [0, 1, 2].map((d) => wv.vectors[d]! * wv.scales[0]!);
    alpha.forEach((x, d) => expect(x).toBeCloseTo([1, -0.5, 0.25][d]!, 2));
    expect(Array.from(wv.vectors.slice(3))).toEqual([0, 0, 0]);
  });

  it('rejects a truncated vectors file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-wv-'));
    await writeWordVectors(dir, {
      manifest: { source: 'test', licence: 'PDDL', sourceVocabularySize: 10, commonComponents: [] },
      dims: 2,
      rows: [{ word: 'alpha', rank: 0, vector: [1, 2] }],
    });
    const bin = await readFile(path.join(dir, 'vectors.bin'));
    await writeFile(path.join(dir, 'vectors.bin'), bin.subarray(0, bin.length - 1));
    await expect(readWordVectors(dir)).rejects.toThrow(/size does not match/);
  });

  it('produces finite, bounded vectors everywhere', () => {
    const v = hashedVector('anything', 16, 2);
    expect(norm(Array.from(v))).toBeCloseTo(2, 4);
  });
});
