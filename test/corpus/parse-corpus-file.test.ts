import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { corpusFormatOf, parseCorpusFile } from '../../src/corpus/parse-corpus-file.js';
import { extractLinks, paperId } from '../../src/corpus/paper-identity.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');

describe('parseCorpusFile', () => {
  it('chooses the parser by extension', async () => {
    const text = await parseCorpusFile(path.join(fixtures, 'trending-sample.txt'));
    expect(text.papers).toHaveLength(3);
    expect(text.papers[0]!.source.file).toBe('trending-sample.txt');
    const jsonl = await parseCorpusFile(path.join(fixtures, 'papers-sample.jsonl'));
    expect(jsonl.papers).toHaveLength(2);
    expect(corpusFormatOf('x.NDJSON')).toBe('jsonl');
    expect(corpusFormatOf('x.csv')).toBeUndefined();
  });

  it('uses an explicit format for an unknown extension, and refuses without one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-parse-'));
    const file = path.join(dir, 'papers.data');
    copyFileSync(path.join(fixtures, 'papers-sample.jsonl'), file);
    expect((await parseCorpusFile(file, { format: 'jsonl' })).papers).toHaveLength(2);
    const error = await parseCorpusFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).message).toMatch(/\.txt.*\.jsonl/);
  });

  it('reports a missing file as a UserFacingError', async () => {
    await expect(parseCorpusFile(path.join(fixtures, 'nope.txt'))).rejects.toBeInstanceOf(UserFacingError);
  });
});

describe('paper identity helpers', () => {
  it('derives arXiv ids from abs, pdf and old-style urls', () => {
    expect(paperId('X', 'https://arxiv.org/abs/2303.16727v2')).toBe('arxiv-2303.16727');
    expect(paperId('X', 'http://arxiv.org/pdf/2303.16727.pdf')).toBe('arxiv-2303.16727');
    expect(paperId('X', 'https://arxiv.org/abs/cs/0112017')).toBe('arxiv-cs-0112017');
    expect(paperId('Same Title', 'https://example.org/paper')).toBe(paperId('same title'));
  });

  it('strips trailing punctuation and unbalanced parentheses but keeps balanced ones', () => {
    expect(extractLinks('see (https://aka.ms/orca-lm), and https://github.com/a/b}.')).toEqual(['https://aka.ms/orca-lm', 'https://github.com/a/b']);
    expect(extractLinks('wiki https://en.wikipedia.org/wiki/Foo_(bar).')).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
    expect(extractLinks('code at github.com/org/repo; twice https://github.com/org/repo')).toEqual(['https://github.com/org/repo']);
  });

  it('refuses files that are not text (NUL bytes, or mostly invalid UTF-8), naming the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-binary-'));
    const withNul = path.join(dir, 'image.txt');
    writeFileSync(withNul, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x0a, 0x41, 0x42, 0x0a]));
    const error = await parseCorpusFile(withNul).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toMatch(/image\.txt.*not a text file/);
    // No NUL, but lines of bytes that are not UTF-8: would otherwise parse as title/abstract "papers" of mojibake.
    const garbage = Buffer.alloc(400);
    for (let i = 0; i < garbage.length; i += 1) garbage[i] = i % 50 === 49 ? 0x0a : 0x80 + ((i * 37) % 0x7f);
    const mojibake = path.join(dir, 'garbage.txt');
    writeFileSync(mojibake, garbage);
    await expect(parseCorpusFile(mojibake)).rejects.toThrow(/garbage\.txt.*not a text file/);
    // A real text file with one stray Latin-1 byte is still text.
    const stray = path.join(dir, 'stray.txt');
    const good = readFileSync(path.join(fixtures, 'trending-sample.txt'));
    writeFileSync(stray, Buffer.concat([good.subarray(0, 40), Buffer.from([0xe9]), good.subarray(40)]));
    expect((await parseCorpusFile(stray)).papers).toHaveLength(3);
  });
});
