import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalIndex } from 'vectra';
import { describe, expect, it } from 'vitest';
import { AtomicFileStorage, writeFileAtomic } from '../../src/store/atomic-file.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'paperbot-atomic-'));

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.json');
    writeFileSync(file, 'old');
    await writeFileAtomic(file, 'new content');
    expect(readFileSync(file, 'utf8')).toBe('new content');
    await writeFileAtomic(file, ['chunk1', Buffer.from('-chunk2')]);
    expect(readFileSync(file, 'utf8')).toBe('chunk1-chunk2');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('keeps the old file when writing fails midway, and removes the temp file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.json');
    writeFileSync(file, 'old');
    async function* failing() {
      yield 'partial';
      throw new Error('boom');
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow('boom');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('reports chunk progress after each chunk is on disk', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.txt');
    const seen: number[] = [];
    await writeFileAtomic(file, ['a', 'b', 'c'], (n) => {
      seen.push(n);
    });
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('AtomicFileStorage as vectra storage', () => {
  it('lets vectra create, update and query an index', async () => {
    const dir = path.join(tempDir(), 'idx');
    const index = new LocalIndex(dir, 'index.json', new AtomicFileStorage());
    await index.createIndex({ version: 1 });
    await index.insertItem({ id: 'a', vector: [1, 0, 0], metadata: {} });
    await index.insertItem({ id: 'b', vector: [0, 1, 0], metadata: {} });
    const reopened = new LocalIndex(dir, 'index.json', new AtomicFileStorage());
    const results = await reopened.queryItems([0.9, 0.1, 0], '', 1);
    expect(results.map((r) => r.item.id)).toEqual(['a']);
    expect(readdirSync(dir)).toEqual(['index.json']);
    const storage = new AtomicFileStorage();
    await expect(storage.createFile(path.join(dir, 'index.json'), 'x')).rejects.toThrow(/exists/);
    expect((await storage.listFiles(path.dirname(dir), 'folders')).map((f) => f.name)).toEqual(['idx']);
  });
});
