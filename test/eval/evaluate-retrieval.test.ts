import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRetrieval, normalizeTitle } from '../../src/eval/evaluate-retrieval.js';
import { EvalQuestionsError, loadEvalQuestions } from '../../src/eval/load-eval-questions.js';
import type { PaperSearcher } from '../../src/retrieval/search-types.js';
import { buildTestRetrieval } from '../support/build-test-searcher.js';
import { DEV_QUESTIONS_FILE, PARAPHRASE_QUESTIONS_FILE, loadTestCorpus } from '../support/load-test-corpus.js';

describe('loadEvalQuestions', () => {
  it('loads the bundled dev and paraphrase sets', () => {
    const dev = loadEvalQuestions(DEV_QUESTIONS_FILE);
    expect(dev).toHaveLength(40);
    expect(new Set(dev.map((q) => q.kind))).toEqual(new Set(['lookup', 'multi', 'concept']));
    expect(loadEvalQuestions(PARAPHRASE_QUESTIONS_FILE).length).toBeGreaterThanOrEqual(35);
  });

  it('reads topic lines and method-name lines as questions', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-eval-'));
    const file = path.join(dir, 'mixed.jsonl');
    await writeFile(file, '{"id":"t","topic":"meta-learning","relevant":["A","B"]}\n{"id":"m","name":"BOSS","expected":"C"}\n');
    expect(loadEvalQuestions(file)).toEqual([
      { id: 't', question: 'meta-learning', expected: ['A', 'B'], kind: 'topic' },
      { id: 'm', question: 'BOSS', expected: ['C'], kind: 'method-name' },
    ]);
    await writeFile(file, '{"id":"t","topic":"meta-learning","relevant":[]}\n');
    expect(() => loadEvalQuestions(file)).toThrow(/:1: relevant: /);
  });

  it('names the file and line of a malformed line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-eval-'));
    const file = path.join(dir, 'q.jsonl');
    await writeFile(file, '{"id":"a","question":"q?","expected":["T"],"kind":"lookup"}\n\n{"id":"b","question":"q?"\n');
    expect(() => loadEvalQuestions(file)).toThrow(EvalQuestionsError);
    expect(() => loadEvalQuestions(file)).toThrow(`${file}:3: not valid JSON`);
    await writeFile(file, '{"id":"a","question":"q?","expected":[]}\n');
    expect(() => loadEvalQuestions(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: expected`));
    await writeFile(file, '{"id":"a","question":"q?","expected":["T"]}\n{"id":"a","question":"r?","expected":["U"]}\n');
    expect(() => loadEvalQuestions(file)).toThrow(/:2: duplicate id "a"/);
    expect(() => loadEvalQuestions(path.join(dir, 'missing.jsonl'))).toThrow(/missing\.jsonl: cannot read/);
  });
});

describe('evaluateRetrieval', () => {
  const papers = loadTestCorpus().slice(0, 4);
  const [p0, p1, p2, p3] = papers;
  // Fake searcher: always returns papers in a fixed order.
  const fixed: PaperSearcher = {
    search: async (query) => ({ query, relevant: true, hits: [p2!, p0!, p1!, p3!].map((paper) => ({ paper, score: 0.5, relevant: true })) }),
  };

  it('computes R@k, MRR and all-in-top-10 from ranks of expected titles', async () => {
    const result = await evaluateRetrieval(fixed, [
      { id: 'a', question: 'q', expected: [p2!.title], kind: 'lookup' },
      { id: 'b', question: 'q', expected: [p1!.title.toUpperCase() + ' '], kind: 'lookup' },
      { id: 'c', question: 'q', expected: [p0!.title, p3!.title], kind: 'concept' },
    ], papers);
    expect(result.count).toBe(3);
    expect(result.perQuestion.map((q) => q.firstRank)).toEqual([1, 3, 2]);
    expect(result.perQuestion[2]?.ranks).toEqual([2, 4]);
    expect(result.r1).toBeCloseTo(1 / 3);
    expect(result.r5).toBe(1);
    expect(result.mrr).toBeCloseTo((1 + 1 / 3 + 1 / 2) / 3);
    expect(result.allInTop10).toBe(1);
    expect(result.recall10).toBe(1);
  });

  it('recall@10 is the mean share of each question’s expected papers found in the top 10', async () => {
    const many = loadTestCorpus().slice(0, 12);
    const ordered: PaperSearcher = {
      search: async (query) => ({ query, relevant: true, hits: many.slice(0, 10).map((paper) => ({ paper, score: 0.5, relevant: true })) }),
    };
    const result = await evaluateRetrieval(ordered, [
      { id: 'a', question: 'q', expected: [many[0]!.title, many[11]!.title], kind: 'topic' },
      { id: 'b', question: 'q', expected: [many[10]!.title], kind: 'topic' },
    ], many);
    expect(result.recall10).toBeCloseTo((1 / 2 + 0) / 2);
    expect(result.allInTop10).toBe(0);
  });

  it('throws on an expected title that is not in the corpus', async () => {
    await expect(evaluateRetrieval(fixed, [{ id: 'x', question: 'q', expected: ['No Such Paper'], kind: 'lookup' }], papers)).rejects.toThrow(/x: expected title not in the corpus/);
  });

  it('normalises titles for matching', () => {
    expect(normalizeTitle('DεpS:  Delayed  ε-Shrinking!')).toBe(normalizeTitle('dεps delayed ε shrinking'));
  });
});

describe('retrieval regression on the bundled corpus (dev questions)', () => {
  it('keeps R@5 = 1.0 and R@1 ≥ 0.95 with the offline embedder + BM25 hybrid', async () => {
    const setup = await buildTestRetrieval();
    const result = await evaluateRetrieval(setup.makeSearcher(), loadEvalQuestions(DEV_QUESTIONS_FILE), setup.papers);
    expect(result.perQuestion.filter((q) => q.firstRank === null || q.firstRank > 5).map((q) => q.id)).toEqual([]);
    expect(result.r5).toBe(1);
    expect(result.r1).toBeGreaterThanOrEqual(0.95);
  });
});
