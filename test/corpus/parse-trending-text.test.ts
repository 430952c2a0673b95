import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyLine, parseTrendingText } from '../../src/corpus/parse-trending-text.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '..', 'fixtures', 'corpus');
const bundled = path.join(here, '..', '..', 'data', 'corpus', 'hf-trending-papers.txt');
const read = (file: string) => readFileSync(file, 'utf8');

describe('parseTrendingText on the bundled corpus', () => {
  const text = read(bundled);
  const { papers, skipped } = parseTrendingText(text, 'hf-trending-papers.txt');

  it('yields 252 papers and no skipped record', () => {
    expect(papers).toHaveLength(252);
    expect(skipped).toEqual([]);
  });

  it('drops the page debris and the glued "Subscribe"', () => {
    expect(papers[0]!.title).toBe('VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking');
    expect(papers[0]!.source).toEqual({ file: 'hf-trending-papers.txt', line: 3 });
    expect(papers.some((p) => /subscribe|email inbox/i.test(p.title))).toBe(false);
  });

  it('pairs every title with the abstract on the next line', () => {
    const lines = text.split('\n');
    for (const paper of papers) {
      expect(lines[paper.source.line - 1]!.trim()).toMatch(new RegExp(`${paper.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      expect(lines[paper.source.line]!.trim()).toBe(paper.abstract);
    }
  });

  it('gives unique ids, clickable urls and content hashes', () => {
    expect(new Set(papers.map((p) => p.id)).size).toBe(252);
    for (const paper of papers) {
      expect(paper.url).toMatch(/^https:\/\//);
      expect(paper.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(paper.id).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it('keeps unicode titles intact', () => {
    const titles = papers.map((p) => p.title);
    expect(titles).toContain('DεpS: Delayed ε-Shrinking for Faster Once-For-All Training');
    expect(titles).toContain('TÜLU 3: Pushing Frontiers in Open Language Model Post-Training');
  });

  it('extracts links without trailing punctuation', () => {
    const all = papers.flatMap((p) => p.links);
    expect(all.length).toBeGreaterThan(30);
    expect(all).toContain('https://github.com/OpenGVLab/VideoMAEv2');
    expect(all).toContain('https://aka.ms/orca-lm');
    expect(all).toContain('https://github.com/thunlp/OpenPrompt');
    for (const link of all) expect(link).not.toMatch(/[.,;:)}\]]$/);
  });
});

describe('parseTrendingText on a clean sample', () => {
  const text = read(path.join(fixtures, 'trending-sample.txt'));

  it('parses the three papers with stable ids and derived urls', () => {
    const { papers, skipped } = parseTrendingText(text, 'trending-sample.txt');
    expect(skipped).toEqual([]);
    expect(papers.map((p) => p.title)).toEqual([
      'TinyBERT Revisited: Progressive Distillation for Transformers',
      'Direct Preference Lite: Alignment without Reward Models',
      'DεpS: Delayed ε-Shrinking for Faster Once-For-All Training',
    ]);
    expect(papers[2]!.id).toMatch(/^dps-delayed-shrinking-for-faster-[0-9a-f]{8}$/);
    expect(papers[0]!.url).toBe(`https://arxiv.org/search/?searchtype=title&query=${encodeURIComponent(papers[0]!.title)}`);
    expect(papers[0]!.links).toEqual(['https://github.com/example/tiny-bert']);
    expect(papers[1]!.links).toEqual(['https://example.org/project-page/', 'https://github.com/example/dpo-lite']);
  });

  it('gives the same result with CRLF line ends, a BOM and trailing spaces', () => {
    const lf = parseTrendingText(text, 'x.txt');
    const messy = '\uFEFF' + text.split('\n').map((line) => (line ? `${line}  \t` : line)).join('\r\n');
    const crlf = parseTrendingText(messy, 'x.txt');
    expect(crlf.skipped).toEqual([]);
    expect(crlf.papers).toEqual(lf.papers);
  });

  it('keeps ids when a title changes only in case, spacing or punctuation, and detects content changes', () => {
    const base = parseTrendingText(text, 'x.txt').papers[0]!;
    const variant = parseTrendingText(
      text.replace('TinyBERT Revisited: Progressive', 'TinyBERT  revisited : progressive').replace('four times fewer', '4x fewer'),
      'x.txt',
    ).papers[0]!;
    expect(variant.id).toBe(base.id);
    expect(variant.contentHash).not.toBe(base.contentHash);
  });

  it('parses a file without page debris too', () => {
    const noDebris = text.split('\n').slice(2).join('\n').replace('Subscribe', '');
    expect(parseTrendingText(noDebris, 'x.txt').papers).toHaveLength(3);
  });

  it('handles empty input', () => {
    expect(parseTrendingText('', 'empty.txt')).toEqual({ papers: [], skipped: [] });
    expect(parseTrendingText('\n\n  \n', 'empty.txt')).toEqual({ papers: [], skipped: [] });
  });
});

describe('parseTrendingText on malformed input', () => {
  const { papers, skipped } = parseTrendingText(read(path.join(fixtures, 'trending-malformed.txt')), 'bad.txt');

  it('keeps every well-formed pair correctly paired (no shift after a bad record)', () => {
    expect(papers.map((p) => [p.title, p.abstract.slice(0, 30), p.source.line])).toEqual([
      ['TinyBERT Revisited: Progressive Distillation for Transformers', 'We study how progressive disti', 3],
      ['Direct Preference Lite: Alignment without Reward Models', 'Large language models can be a', 6],
      ['Compressed Replay for Continual Learning', 'Continual learning methods for', 10],
      ['Sparse Experts at Scale', 'Sparse mixtures of experts sca', 15],
    ]);
  });

  it('reports each malformed record with file, line and reason', () => {
    expect(skipped.map((s) => [s.file, s.line])).toEqual([
      ['bad.txt', 5],
      ['bad.txt', 9],
      ['bad.txt', 13],
      ['bad.txt', 17],
    ]);
    expect(skipped[0]!.reason).toMatch(/title without an abstract.*line 6/);
    expect(skipped[1]!.reason).toMatch(/abstract-like line without a title/);
    expect(skipped[2]!.reason).toMatch(/duplicate of the paper at line 6/);
    expect(skipped[3]!.reason).toMatch(/end of file/);
  });
});

describe('parseTrendingText with short abstracts', () => {
  const longAbstract = 'We study a long question in detail. Our method improves the results on three benchmarks by a wide margin. Code is released.';

  it('accepts an abstract under 120 characters that ends in a full stop', () => {
    const text = ['Tiny Adapters for Speech', 'We add tiny adapters. They work.', 'Second Paper on Vision', longAbstract, 'Third Paper', 'A short abstract of one sentence.'].join('\n');
    const { papers, skipped } = parseTrendingText(text, 'short.txt');
    expect(skipped).toEqual([]);
    expect(papers.map((p) => [p.title, p.abstract])).toEqual([
      ['Tiny Adapters for Speech', 'We add tiny adapters. They work.'],
      ['Second Paper on Vision', longAbstract],
      ['Third Paper', 'A short abstract of one sentence.'],
    ]);
  });

  it('still resynchronises after a missing abstract without pairing a title with the wrong abstract', () => {
    const text = ['Lost Abstract Paper', 'Short Paper', 'We keep it short.', 'Long Paper', longAbstract].join('\n');
    const { papers, skipped } = parseTrendingText(text, 'gap.txt');
    expect(papers.map((p) => [p.title, p.abstract])).toEqual([
      ['Short Paper', 'We keep it short.'],
      ['Long Paper', longAbstract],
    ]);
    expect(skipped).toEqual([{ file: 'gap.txt', line: 1, reason: expect.stringMatching(/title without an abstract \(line 2 looks like another title\)/) as unknown as string }]);
  });

  it('skips, rather than guesses, a short line that could be the abstract before it or the title of the abstract after it', () => {
    // Either "Ask me anything." is the short abstract of line 1 (and line 3 lost its title), or line 1 lost its abstract.
    const text = ['Paper One', 'Ask me anything about prompts.', longAbstract, 'Paper Two', 'Its own short abstract.'].join('\n');
    const { papers, skipped } = parseTrendingText(text, 'ambiguous.txt');
    expect(papers.map((p) => [p.title, p.abstract])).toEqual([['Paper Two', 'Its own short abstract.']]);
    expect(skipped).toEqual([{ file: 'ambiguous.txt', line: 1, reason: expect.stringMatching(/lines 1–3 are ambiguous/) as unknown as string }]);
  });

  it('keeps a title ending in a full stop paired with the long abstract after it', () => {
    const text = ['Paper One', longAbstract, 'Ask me anything: a simple strategy for prompting.', longAbstract.replace('long', 'broad')].join('\n');
    const { papers, skipped } = parseTrendingText(text, 'stop.txt');
    expect(skipped).toEqual([]);
    expect(papers.map((p) => p.title)).toEqual(['Paper One', 'Ask me anything: a simple strategy for prompting.']);
  });
});

describe('parseTrendingText limits', () => {
  it('skips a pair whose abstract is over the limit, with its size, and keeps the pairs around it', () => {
    const huge = `${'words without a full stop '.repeat(2_200)}end`;
    const text = ['Before', 'A fine abstract. It has two sentences.', 'Flood Paper', huge, 'After', 'Another fine abstract here.'].join('\n');
    const { papers, skipped } = parseTrendingText(text, 'flood.txt');
    expect(papers.map((p) => p.title)).toEqual(['Before', 'After']);
    expect(skipped).toEqual([
      { file: 'flood.txt', line: 3, reason: `abstract of ${huge.length.toLocaleString('en-US')} characters is over the 10,000-character limit (lines 3–4)` },
    ]);
  });
});

describe('classifyLine', () => {
  it('tells titles, short abstracts and abstracts apart', () => {
    expect(classifyLine('We add tiny adapters. They work.')).toBe('short-prose');
    expect(classifyLine('Attention Is All You Need.')).toBe('title');
    expect(classifyLine('Is Fast Adaptation All You Need?')).toBe('title');
    expect(classifyLine('What Happened in LLMs Layers when Trained for Fast vs. Slow Thinking: A Gradient Perspective')).toBe('title');
    expect(classifyLine('Weak-to-Strong Reasoning')).toBe('title');
    expect(classifyLine('We propose a method. It works well. It is fast.')).toBe('abstract');
    expect(classifyLine(`${'word '.repeat(30)}ends with a full stop here and is long enough to be prose.`)).toBe('abstract');
    expect(classifyLine('x'.repeat(260))).toBe('abstract');
  });
});
