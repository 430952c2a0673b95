import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_ORDER_FILE, orderCorpusFiles, readCorpusOrder, writeCorpusOrder } from '../../src/ingest/corpus-order.js';

describe('orderCorpusFiles', () => {
  it('keeps the recorded order, then unrecorded files already there by name, then files just added in the order given', () => {
    const present = ['aa-hand.jsonl', 'b-new.jsonl', 'hf.txt', 'mine.jsonl', 'a-new.jsonl', 'ab-hand.txt'];
    expect(orderCorpusFiles(present, ['hf.txt', 'mine.jsonl', 'gone.jsonl'], { added: ['b-new.jsonl', 'a-new.jsonl'] })).toEqual([
      'hf.txt',
      'mine.jsonl',
      'aa-hand.jsonl',
      'ab-hand.txt',
      'b-new.jsonl',
      'a-new.jsonl',
    ]);
  });

  it('ranks files from before the order was recorded above files added now (an upgraded install)', () => {
    expect(orderCorpusFiles(['aa-hijack.jsonl', 'hf.txt'], [], { added: ['aa-hijack.jsonl'] })).toEqual(['hf.txt', 'aa-hijack.jsonl']);
  });

  it('puts preferred files (--replace) first, also when they were recorded before', () => {
    expect(orderCorpusFiles(['hf.txt', 'mine.jsonl', 'zz.jsonl'], ['hf.txt', 'mine.jsonl'], { added: ['zz.jsonl'], preferred: ['zz.jsonl'] })).toEqual([
      'zz.jsonl',
      'hf.txt',
      'mine.jsonl',
    ]);
    expect(orderCorpusFiles(['hf.txt', 'mine.jsonl'], ['hf.txt', 'mine.jsonl'], { preferred: ['mine.jsonl'] })).toEqual(['mine.jsonl', 'hf.txt']);
  });

  it('falls back to name order when nothing is recorded', () => {
    expect(orderCorpusFiles(['b.txt', 'a.jsonl'], [])).toEqual(['a.jsonl', 'b.txt']);
  });
});

describe('the corpus order file', () => {
  it('round-trips, reads as empty when missing, and reports an unreadable one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-order-'));
    expect(await readCorpusOrder(dir)).toEqual({ files: [], unreadable: false });
    await writeCorpusOrder(dir, ['hf.txt', 'mine.jsonl']);
    expect(await readCorpusOrder(dir)).toEqual({ files: ['hf.txt', 'mine.jsonl'], unreadable: false });
    expect(readFileSync(path.join(dir, CORPUS_ORDER_FILE), 'utf8')).toContain('"mine.jsonl"');
    for (const broken of ['{"version": 1, "files": [', '{"version": 2, "files": []}', '{"version": 1, "files": [3]}', 'null']) {
      writeFileSync(path.join(dir, CORPUS_ORDER_FILE), broken);
      expect(await readCorpusOrder(dir)).toEqual({ files: [], unreadable: true });
    }
  });
});
