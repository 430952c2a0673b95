import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJsonLines } from '../../src/corpus/parse-json-lines.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');
const read = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

describe('parseJsonLines', () => {
  it('parses records with optional metadata; arXiv urls give arXiv ids', () => {
    const { papers, skipped } = parseJsonLines(read('papers-sample.jsonl'), 'papers-sample.jsonl');
    expect(skipped).toEqual([]);
    expect(papers).toHaveLength(2);
    const [moe, replay] = papers;
    expect(moe!.id).toBe('arxiv-2101.03961');
    expect(moe!.url).toBe('https://arxiv.org/abs/2101.03961v3');
    expect(moe!.authors).toEqual(['A. Author', 'B. Author']);
    expect(moe!.published).toBe('2021-01-11');
    expect(moe!.tags).toEqual(['moe', 'scaling']);
    expect(moe!.source).toEqual({ file: 'papers-sample.jsonl', line: 1 });
    expect(replay!.id).toMatch(/^compressed-replay-for-continual-learning-[0-9a-f]{8}$/);
    expect(replay!.url).toMatch(/^https:\/\/arxiv\.org\/search\/\?searchtype=title&query=Compressed/);
    expect(replay!.authors).toBeUndefined();
  });

  it('gives the txt and jsonl forms of a paper without url the same id', () => {
    const abstract = 'Some abstract text. With sentences. Many of them.';
    const a = parseJsonLines(JSON.stringify({ title: 'Compressed Replay for Continual Learning', abstract }), 'a.jsonl').papers[0]!;
    const b = parseJsonLines(JSON.stringify({ title: 'compressed replay for continual  learning', abstract }), 'b.jsonl').papers[0]!;
    expect(a.id).toBe(b.id);
  });

  it('reports invalid JSON, missing fields, non-objects, bad urls, empty titles and duplicates with line numbers', () => {
    const { papers, skipped } = parseJsonLines(read('papers-malformed.jsonl'), 'bad.jsonl');
    expect(papers.map((p) => p.source.line)).toEqual([1, 10]);
    expect(papers[1]!.authors).toEqual(['A. Author', 'B. Author']);
    const byLine = Object.fromEntries(skipped.map((s) => [s.line, s.reason]));
    expect(Object.keys(byLine).map(Number)).toEqual([2, 4, 5, 6, 7, 8, 9]);
    expect(byLine[2]).toMatch(/invalid JSON/);
    expect(byLine[4]).toMatch(/missing field "abstract"/);
    expect(byLine[5]).toMatch(/missing field "title"/);
    expect(byLine[6]).toMatch(/not a JSON object/);
    expect(byLine[7]).toMatch(/duplicate of the paper at line 1/);
    expect(byLine[8]).toMatch(/"url" must be an http\(s\) URL/);
    expect(byLine[9]).toMatch(/"title" must not be empty/);
    expect(skipped.every((s) => s.file === 'bad.jsonl')).toBe(true);
  });

  it('accepts CRLF line ends, a BOM and blank lines', () => {
    const text = '\uFEFF' + read('papers-sample.jsonl').split('\n').join('\r\n\r\n');
    const { papers, skipped } = parseJsonLines(text, 'x.jsonl');
    expect(skipped).toEqual([]);
    expect(papers.map((p) => p.source.line)).toEqual([1, 3]);
  });

  it('says a field of the wrong type must be a string, instead of calling it missing', () => {
    const text = [JSON.stringify({ title: 42, abstract: 'An abstract. Two sentences.' }), JSON.stringify({ abstract: 'No title here.' })].join('\n');
    const { papers, skipped } = parseJsonLines(text, 'typed.jsonl');
    expect(papers).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual(['"title" must be a string (got a number)', 'missing field "title"']);
  });

  it('skips a record whose abstract or title is over its limit, naming the size', () => {
    const flood = 'x'.repeat(55_000);
    const text = [
      JSON.stringify({ title: 'Flood', abstract: flood }),
      JSON.stringify({ title: 'T'.repeat(251), abstract: 'Fine. Short.' }),
      JSON.stringify({ title: 'Just Right', abstract: 'y'.repeat(10_000) }),
    ].join('\n');
    const { papers, skipped } = parseJsonLines(text, 'big.jsonl');
    expect(papers.map((p) => p.title)).toEqual(['Just Right']);
    expect(skipped).toEqual([
      { file: 'big.jsonl', line: 1, reason: 'abstract of 55,000 characters is over the 10,000-character limit' },
      { file: 'big.jsonl', line: 2, reason: 'title of 251 characters is over the 250-character limit' },
    ]);
  });
});
