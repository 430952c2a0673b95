import { describe, expect, it } from 'vitest';
import { withDistinctAliases } from '../../src/corpus/extract-aliases.js';
import type { Paper } from '../../src/corpus/paper.js';
import { PaperResolver } from '../../src/answer/resolve-paper.js';
import { loadEvalQuestions } from '../../src/eval/load-eval-questions.js';
import { LexicalIndex } from '../../src/retrieval/lexical-index.js';
import { createAliasMatcher, findNamedPapersIn, mentionCounter } from '../../src/retrieval/match-aliases.js';
import { TEST_PROJECT_ROOT, loadTestCorpus } from '../support/load-test-corpus.js';

const paper = (id: string, aliases: string[]): Paper => ({ id, title: id, abstract: '', url: '', links: [], contentHash: id, source: { file: 'x', line: 1 }, aliases });

describe('createAliasMatcher', () => {
  const papers = [paper('a', ['SAMI']), paper('b', ['Diana']), paper('c', ['TÜLU 3']), paper('d', ['PILOT'])];
  const match = createAliasMatcher(findNamedPapersIn(papers), (word) => word === 'sami');

  it.each([
    ['what is SAMI?', [['a', 'rare']]],
    ['what is sami', [['a', 'rare']]],
    ['the Diana paper', [['b', 'exact']]],
    ['tulu 3 results', [['c', 'rare']]],
    ['compare PILOT and SAMI', [['d', 'rare'], ['a', 'rare']]],
    ['princess diana biography', []],
    ['how to become a pilot', []],
  ])('%j names %j', async (query, expected) => {
    expect([...(await match(query))]).toEqual(expected);
  });
});

describe('createAliasMatcher over a store\'s lookup', () => {
  it('asks the store once per query, for the keys of every run of one to three words', async () => {
    const asked: string[][] = [];
    const match = createAliasMatcher(async (keys) => {
      asked.push([...keys]);
      return keys.includes('clampdpo') ? [{ key: 'clampdpo', id: 'x', alias: 'CLaMP-DPO' }] : [];
    }, () => false);
    expect([...(await match('how does CLaMP-DPO work'))]).toEqual([['x', 'rare']]);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toEqual(expect.arrayContaining(['how', 'clampdpo', 'doesclampdpo', 'howdoesclampdpo', 'clampdpowork']));
    expect(await match('   ')).toEqual(new Map());
    expect(asked).toHaveLength(1);
  });
});

describe('aliases on the bundled corpus (as createPaperbot loads it)', () => {
  const loaded = loadTestCorpus();
  const papers = withDistinctAliases(loaded, mentionCounter(LexicalIndex.build(loaded)));
  const resolver = new PaperResolver(papers);

  it('resolves every method name of the tuning half of method-names to its paper', () => {
    const names = loadEvalQuestions(`${TEST_PROJECT_ROOT}/data/eval/method-names-tuning.jsonl`);
    expect(names.map((n) => [n.question, resolver.resolve(n.question).title])).toEqual(names.map((n) => [n.question, n.expected[0]]));
  });

  it('suggests a paper by a method name its abstract introduces (autocomplete)', () => {
    expect(resolver.suggest('WSRL', 5)[0]?.title).toBe('Efficient Online Reinforcement Learning Fine-Tuning Need Not Retain Offline Data');
  });

  it('resolves both names of "compare BOSS and SPRINT" (BOSS is named only in its abstract)', () => {
    expect(resolver.resolve('BOSS').title).toBe('Bootstrap Your Own Skills: Learning to Solve New Tasks with Large Language Model Guidance');
    expect(resolver.resolve('SPRINT').title).toBe('SPRINT: Scalable Policy Pre-Training via Language Instruction Relabeling');
  });

  it('drops names several papers introduce ("RL", "CL") and keeps the paper list intact', () => {
    expect(papers).toHaveLength(loaded.length);
    const owners = (name: string) => papers.filter((p) => p.aliases.includes(name)).length;
    expect(owners('RL')).toBe(0);
    expect(owners('CL')).toBe(0);
    expect(owners('BOSS')).toBe(1);
  });
});
