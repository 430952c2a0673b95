import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { IndexCorruptError } from '../../src/store/index-errors.js';
import { readIndexSnapshot } from '../../src/store/index-snapshot.js';
import { openPaperIndex } from '../../src/store/open-paper-index.js';
import { commit, embedder, makePapers } from './helpers/commit-papers.js';

let indexDir: string;
beforeEach(() => {
  indexDir = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-index-')), 'index');
});

describe('corrupt index detection', () => {
  async function corrupt(file: 'index.json' | 'papers.json' | 'manifest.json', damage: (filePath: string) => void): Promise<unknown> {
    const manifest = await commit(indexDir, makePapers(20));
    const filePath = file === 'manifest.json' ? path.join(indexDir, file) : path.join(indexDir, manifest.generation, file);
    damage(filePath);
    return openPaperIndex({ indexDir, embedder }).catch((e: unknown) => e);
  }

  it('detects a 0-byte index.json', async () => {
    const error = await corrupt('index.json', (f) => truncateSync(f, 0));
    expect(error).toBeInstanceOf(IndexCorruptError);
    expect((error as Error).message).toMatch(/index\.json/);
    await expect(readIndexSnapshot(indexDir)).rejects.toBeInstanceOf(IndexCorruptError);
  });

  it('detects a truncated index.json', async () => {
    const error = await corrupt('index.json', (f) => truncateSync(f, Math.floor(readFileSync(f).length / 2)));
    expect(error).toBeInstanceOf(IndexCorruptError);
  });

  it('detects vectors that do not match the papers', async () => {
    const error = await corrupt('index.json', (f) => {
      const data = JSON.parse(readFileSync(f, 'utf8')) as { items: unknown[] };
      data.items.pop();
      writeFileSync(f, JSON.stringify(data));
    });
    expect(error).toBeInstanceOf(IndexCorruptError);
    expect((error as Error).message).toMatch(/19 vectors for 20 papers/);
  });

  it('detects a truncated papers.json and a 0-byte manifest', async () => {
    expect(await corrupt('papers.json', (f) => truncateSync(f, 100))).toBeInstanceOf(IndexCorruptError);
    indexDir = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-index-')), 'index');
    expect(await corrupt('manifest.json', (f) => truncateSync(f, 0))).toBeInstanceOf(IndexCorruptError);
  });

  it('detects a deleted generation folder', async () => {
    const manifest = await commit(indexDir, makePapers(5));
    rmSync(path.join(indexDir, manifest.generation), { recursive: true });
    await expect(openPaperIndex({ indexDir })).rejects.toBeInstanceOf(IndexCorruptError);
  });
});
