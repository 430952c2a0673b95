import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embedding/embedder.js';
import { evaluateRetrieval } from '../../src/eval/evaluate-retrieval.js';
import { loadEvalQuestions } from '../../src/eval/load-eval-questions.js';
import { InMemoryVectorIndex } from '../../src/retrieval/in-memory-vector-index.js';
import { LexicalIndex } from '../../src/retrieval/lexical-index.js';
import { createHybridSearcher } from '../../src/retrieval/search-papers.js';
import { localCandidateSource } from '../../src/retrieval/candidate-source.js';
import { findNamedPapersIn } from '../../src/retrieval/match-aliases.js';
import { tokenize } from '../../src/text/tokenize.js';
import { cosine } from '../../src/retrieval/select-diverse.js';
import { buildTestRetrieval, type TestRetrievalSetup } from '../support/build-test-searcher.js';
import { DEV_QUESTIONS_FILE, PARAPHRASE_QUESTIONS_FILE } from '../support/load-test-corpus.js';

let setup: TestRetrievalSetup;
beforeAll(async () => {
  setup = await buildTestRetrieval();
});

const OFF_TOPIC = ['best sourdough bread recipe', 'who won the 2018 world cup', 'asdkjh qwe', 'how do I fix a leaking kitchen faucet', 'cheap flights to lisbon in july'];

describe('createHybridSearcher: fusion', () => {
  it('fuses lexical and dense candidates: each side can bring a paper the other misses', async () => {
    const { papers } = setup;
    const [a, b, c] = papers;
    // A fake embedder/vector index that always ranks paper c first, whatever the query.
    const embedder: Embedder = { id: 'fake', dimensions: 2, embed: async (texts) => texts.map(() => [1, 0]) };
    const vectors = new InMemoryVectorIndex([
      { id: c!.id, vector: [1, 0] },
      { id: a!.id, vector: [0, 1] },
      { id: b!.id, vector: [0, 1] },
    ]);
    const lexical = LexicalIndex.build(papers);
    const query = a!.title;
    const hybrid = createHybridSearcher({ papers, lexical, vectors, embedder });
    const ids = (await hybrid.search(query, { k: 5 })).hits.map((h) => h.paper.id);
    expect(ids).toContain(a!.id);
    expect(ids).toContain(c!.id);
    const lexicalOnly = createHybridSearcher({ papers, lexical, vectors, embedder, tuning: { lexicalWeight: 1, denseWeight: 0, aliasWeight: 0 } });
    expect((await lexicalOnly.search(query, { k: 5 })).hits.map((h) => h.paper.id)).toEqual(lexical.search(query, 5).map((m) => m.id));
    const denseOnly = createHybridSearcher({ papers, lexical, vectors, embedder, tuning: { lexicalWeight: 0, denseWeight: 1, aliasWeight: 0 } });
    expect((await denseOnly.search(query, { k: 1 })).hits[0]?.paper.id).toBe(c!.id);
  });

  it('returns k hits with scores in [0, 1], best first', async () => {
    for (const searcher of [setup.makeSearcher(), setup.makeSearcher({ softWeight: 0 })]) {
      const res = await searcher.search('continual learning with prompts', { k: 7 });
      expect(res.hits).toHaveLength(7);
      const scores = res.hits.map((h) => h.score);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
      for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
    }
    expect((await setup.makeSearcher().search('continual learning')).hits).toHaveLength(10);
  });

  it('returns an empty, irrelevant response for an empty query', async () => {
    expect(await setup.makeSearcher().search('   ')).toEqual({ query: '   ', relevant: false, hits: [] });
  });
});

describe('createHybridSearcher: what it reads', () => {
  it("scores candidates from the store's terms when it gives them, reads whole papers only for the hits, and leaves out a hit whose paper is gone", async () => {
    const { papers, lexical, vectors, embedder } = setup;
    const byId = new Map(papers.map((paper) => [paper.id, paper]));
    const loaded: string[] = [];
    const termsAsked: string[] = [];
    let gone = '';
    const loadPapers = async (ids: readonly string[]) => {
      loaded.push(...ids);
      return ids.flatMap((id) => (id !== gone && byId.has(id) ? [byId.get(id)!] : []));
    };
    const source = localCandidateSource(lexical, vectors);
    const candidates = {
      ...source,
      // The terms a store keeps for each paper (here: tokenize's, as the PostgreSQL store's packed lists give them).
      paperTerms: async (ids: readonly string[]) => {
        termsAsked.push(...ids);
        return new Map(ids.flatMap((id) => (byId.has(id) ? [[id, new Set(tokenize(`${byId.get(id)!.title} ${byId.get(id)!.abstract}`))] as const] : [])));
      },
    };
    const viaTerms = createHybridSearcher({ loadPapers, findNamed: findNamedPapersIn(papers), lexical, candidates, embedder });
    const query = 'how can a network keep its old skills while it learns a stream of new tasks';
    const want = await setup.makeSearcher().search(query, { k: 5 });
    const got = await viaTerms.search(query, { k: 5 });
    expect(got).toEqual(want);
    expect(termsAsked.length).toBeGreaterThan(20);
    expect([...loaded].sort()).toEqual(got.hits.map((hit) => hit.paper.id).sort());
    // A paper removed after the candidates were scored: the others are still shown, in order.
    gone = want.hits[1]!.paper.id;
    const without = await viaTerms.search(query, { k: 5 });
    expect(without.hits.map((hit) => hit.paper.id)).toEqual(want.hits.filter((hit) => hit.paper.id !== gone).map((hit) => hit.paper.id));
  });
});

describe('createHybridSearcher: soft matching', () => {
  it('gives candidates soft-match scores in [0, 1] when on, and 0 to every candidate when off', async () => {
    const query = 'shrinking a network while the data keeps coming';
    const on = await setup.makeSearcher().scoreCandidates(query);
    const off = await setup.makeSearcher({ softWeight: 0 }).scoreCandidates(query);
    expect(on.some((c) => c.soft > 0)).toBe(true);
    expect(off.every((c) => c.soft === 0)).toBe(true);
    for (const c of on) expect(c.soft >= 0 && c.soft <= 1).toBe(true);
  });

  it('leaves soft scores out of the ranking of short queries (topics), not of longer questions', async () => {
    const order = async (tuning: Parameters<typeof setup.makeSearcher>[0], query: string) => (await setup.makeSearcher(tuning).search(query, { k: 10 })).hits.map((h) => h.paper.id);
    const topic = 'LLM-based agents';
    expect(await order({}, topic)).toEqual(await order({ softWeight: 0 }, topic));
    expect(await order({ softMinTerms: 0 }, topic)).not.toEqual(await order({ softWeight: 0 }, topic));
    const question = 'how can a network keep its old skills while it learns a stream of new tasks';
    expect(await order({}, question)).not.toEqual(await order({ softWeight: 0 }, question));
  });

  it('needs both signals for relevance: a paper with evidence but no soft match is not relevant', async () => {
    const strict = setup.makeSearcher({ minSoft: 1.01, minDomain: 0 });
    const res = await strict.search('policy optimization for RLHF in large language models', { k: 5 });
    expect(res.relevant).toBe(false);
    expect(res.hits.every((h) => !h.relevant)).toBe(true);
    expect((await setup.makeSearcher().search('policy optimization for RLHF in large language models', { k: 5 })).relevant).toBe(true);
  });
});

describe('createHybridSearcher: relevance calibration', () => {
  it('marks every dev question relevant', async () => {
    const questions = loadEvalQuestions(DEV_QUESTIONS_FILE);
    const result = await evaluateRetrieval(setup.makeSearcher(), questions, setup.papers);
    expect(result.perQuestion.filter((q) => !q.relevant).map((q) => q.id)).toEqual([]);
  });

  it.each(OFF_TOPIC)('marks the off-topic query %j irrelevant (hits are still returned)', async (query) => {
    const res = await setup.makeSearcher().search(query, { k: 5 });
    expect(res.relevant).toBe(false);
    expect(res.hits.every((h) => !h.relevant)).toBe(true);
  });

  it('flags paraphrased questions as on-topic by their vocabulary, even when no single hit has enough evidence', async () => {
    const questions = loadEvalQuestions(PARAPHRASE_QUESTIONS_FILE);
    const searcher = setup.makeSearcher();
    const evidenceOnly = setup.makeSearcher({ minDomain: 0 });
    let relevant = 0;
    let relevantByEvidence = 0;
    for (const q of questions) {
      if ((await searcher.search(q.question)).relevant) relevant++;
      if ((await evidenceOnly.search(q.question)).relevant) relevantByEvidence++;
    }
    expect(relevant / questions.length).toBeGreaterThanOrEqual(0.9);
    expect(relevantByEvidence).toBeLessThan(relevant);
  });

  it('response.relevant is true when some hit is relevant', async () => {
    const res = await setup.makeSearcher().search('policy optimization for RLHF in large language models', { k: 30 });
    expect(res.relevant).toBe(true);
    expect(res.hits[0]?.relevant).toBe(true);
    expect(res.hits.some((h) => !h.relevant)).toBe(true);
  });
});

describe('createHybridSearcher: questions that name a paper', () => {
  const DUAL = 'DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning';
  const L2P = 'Learning to Prompt for Continual Learning';

  it.each([
    ['summarise the DualPrompt paper please', DUAL],
    ['What is DualPrompt pls', DUAL],
    ['Wht is DualPrompt', DUAL],
    ['what is L2P pls', L2P],
    ['What is DualPrompt, explained for my colleague Bartholomew?', DUAL],
  ])('%j is relevant, with the named paper first', async (query, title) => {
    const res = await setup.makeSearcher().search(query, { k: 5 });
    expect(res.hits[0]?.paper.title).toBe(title);
    expect(res.hits[0]?.relevant).toBe(true);
    expect(res.relevant).toBe(true);
  });

  it('owes that to the name signals: with rare terms and aliases off, the filler words sink the same question', async () => {
    const query = 'What is DualPrompt, explained for my colleague Bartholomew?';
    expect((await setup.makeSearcher({ rareTermMinRank: 0, aliasWeight: 0 }).search(query, { k: 5 })).relevant).toBe(false);
    expect((await setup.makeSearcher({ rareTermMinRank: 0 }).search(query, { k: 5 })).relevant).toBe(true);
    expect((await setup.makeSearcher({ aliasWeight: 0 }).search(query, { k: 5 })).relevant).toBe(true);
  });

  it('makes a paper the query names by an alias a candidate, first and relevant, even when neither retriever returns it', async () => {
    const SAMI = 'Self-Supervised Alignment with Mutual Information: Learning to Follow Principles without Preference Labels';
    const query = 'how does SAMI relate to rehearsal-free continual learning with prompts?';
    const withNames = await setup.makeSearcher({ candidates: 3 }).search(query, { k: 5 });
    expect(withNames.hits[0]?.paper.title).toBe(SAMI);
    expect(withNames.hits[0]?.relevant).toBe(true);
    const without = await setup.makeSearcher({ candidates: 3, aliasWeight: 0 }).search(query, { k: 5 });
    expect(without.hits.map((h) => h.paper.title)).not.toContain(SAMI);
  });

  it('flags only the hits that contain the rare term', async () => {
    const res = await setup.makeSearcher().search('What is DualPrompt, explained for my colleague Bartholomew?', { k: 10 });
    for (const h of res.hits) {
      const mentions = /dualprompt/i.test(`${h.paper.title} ${h.paper.abstract}`);
      if (!mentions) expect(h.relevant).toBe(false);
    }
    expect(res.hits.filter((h) => h.relevant).length).toBeGreaterThan(0);
  });

  it('does not treat common English words, numbers or typos as paper names', async () => {
    for (const query of [...OFF_TOPIC, 'wht is the weather like pls', 'best pizza places in 2023 pls']) {
      expect((await setup.makeSearcher().search(query, { k: 5 })).relevant).toBe(false);
    }
  });
});

describe('createHybridSearcher: MMR (diverse)', () => {
  const meanPairwise = (ids: string[]) => {
    const byId = new Map(setup.papers.map((p) => [p.id, p]));
    const vecs = ids.map((id) => {
      const p = byId.get(id)!;
      const w = setup.lexical.termWeights(`${p.title} ${p.abstract}`);
      const n = Math.sqrt([...w.values()].reduce((s, x) => s + x * x, 0));
      return new Map([...w].map(([t, x]) => [t, x / n]));
    });
    let sum = 0;
    let count = 0;
    for (let i = 0; i < vecs.length; i++)
      for (let j = i + 1; j < vecs.length; j++) {
        sum += cosine(vecs[i]!, vecs[j]!);
        count++;
      }
    return sum / count;
  };

  it('keeps the best hit, returns k distinct papers, and lowers redundancy', async () => {
    const searcher = setup.makeSearcher();
    const query = 'continual learning catastrophic forgetting';
    const plain = await searcher.search(query, { k: 8 });
    const diverse = await searcher.search(query, { k: 8, diverse: true });
    expect(diverse.hits[0]?.paper.id).toBe(plain.hits[0]?.paper.id);
    const ids = diverse.hits.map((h) => h.paper.id);
    expect(new Set(ids).size).toBe(8);
    expect(ids).not.toEqual(plain.hits.map((h) => h.paper.id));
    expect(meanPairwise(ids)).toBeLessThan(meanPairwise(plain.hits.map((h) => h.paper.id)));
  });
});
