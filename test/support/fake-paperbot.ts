import type { AnswerOptions, AnswerResult, AnswerSource } from '../../src/answer/answer-types.js';
import type { ModelQueueStatus, Paperbot } from '../../src/app/paperbot.js';
import type { Paper, PaperEntry } from '../../src/corpus/paper.js';
import type { PaperResolver } from '../../src/answer/resolve-paper.js';
import { UserFacingError } from '../../src/errors.js';
import type { SearchOptions, SearchResponse } from '../../src/retrieval/search-types.js';
import { createAnswerChecker } from '../../src/verify/verify-answer.js';
import { createOfflineClaimScorer } from '../../src/verify/score-claim.js';
import { assessConsensus } from '../../src/verify/assess-consensus.js';

/** A small in-memory paper for tests. */
export function fakePaper(id: string, title: string, abstract = `${title}. An abstract about ${title.toLowerCase()}.`): Paper {
  return {
    id,
    title,
    abstract,
    url: `https://papers.example/${id}`,
    links: [],
    contentHash: `hash-${id}`,
    source: { file: 'fake.txt', line: 1 },
  };
}

export const FAKE_PAPERS: readonly Paper[] = [
  fakePaper('videomae-v2', 'VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking'),
  fakePaper('chain-of-reasoning', 'Chain-of-Reasoning: Towards Unified Mathematical Reasoning in Large Language Models'),
  fakePaper('speculative-decoding', 'Fast Inference from Transformers via Speculative Decoding'),
  fakePaper('lora', 'LoRA: Low-Rank Adaptation of Large Language Models'),
  fakePaper('diffusion-video', 'Video Diffusion Models for Text-to-Video Generation'),
];

export type FakeAnswerKind = 'ask' | 'compare' | 'summarize';

export interface FakeCall {
  kind: FakeAnswerKind | 'search' | 'resolve' | 'suggest' | 'consensus';
  input: string[];
  options?: AnswerOptions;
}

export interface FakePaperbotOptions {
  papers?: readonly Paper[];
  llmEnabled?: boolean;
  /** Build the answer; default: an llm-mode answer citing the first two papers. */
  answer?: (kind: FakeAnswerKind, input: string[], options: AnswerOptions | undefined) => AnswerResult | Promise<AnswerResult>;
  /** Tokens passed to onToken before answering (streaming). */
  tokens?: string[];
  queue?: ModelQueueStatus;
}

export interface FakePaperbot extends Paperbot {
  readonly calls: FakeCall[];
  queueStatus: ModelQueueStatus;
  papersList: Paper[];
  closed: boolean;
}

function sourcesOf(papers: readonly Paper[]): AnswerSource[] {
  return papers.map((paper, i) => ({ n: i + 1, id: paper.id, title: paper.title, url: paper.url }));
}

function score(title: string, query: string): number {
  const t = title.toLowerCase();
  const words = query.toLowerCase().split(/\W+/).filter((w) => w.length > 1);
  if (words.length === 0) return 0;
  return words.filter((w) => t.includes(w)).length / words.length;
}

/** An in-memory Paperbot: deterministic answers, records calls, streams `tokens` when asked. */
export function createFakePaperbot(options: FakePaperbotOptions = {}): FakePaperbot {
  const papersList = [...(options.papers ?? FAKE_PAPERS)];
  const calls: FakeCall[] = [];
  const defaultAnswer = (kind: FakeAnswerKind, input: string[]): AnswerResult => {
    const cited = papersList.slice(0, 2);
    return {
      answer: `${kind}: ${input.join(' / ')} — see [1] and [2].`,
      sources: sourcesOf(cited),
      mode: options.llmEnabled === false ? 'extractive' : 'llm',
      refused: false,
      usage: options.llmEnabled === false ? null : { promptTokens: 100, completionTokens: 20, totalTokens: 120 },
    };
  };
  const answer = async (kind: FakeAnswerKind, input: string[], answerOptions?: AnswerOptions): Promise<AnswerResult> => {
    calls.push({ kind, input, options: answerOptions });
    for (const token of options.tokens ?? []) answerOptions?.onToken?.(token);
    return options.answer ? options.answer(kind, input, answerOptions) : defaultAnswer(kind, input);
  };
  const suggest = (input: string, limit = 25): Paper[] =>
    papersList
      .map((paper) => ({ paper, s: score(paper.title, input) }))
      .filter((x) => x.s > 0)
      .sort((a, b) => b.s - a.s || a.paper.title.localeCompare(b.paper.title))
      .slice(0, limit)
      .map((x) => x.paper);

  const resolve = (input: string): Paper => {
    calls.push({ kind: 'resolve', input: [input] });
    const exact = papersList.find((paper) => paper.id === input || paper.title.toLowerCase() === input.toLowerCase());
    if (exact) return exact;
    const [best, second] = suggest(input, 2);
    if (best && (!second || score(best.title, input) > score(second.title, input))) return best;
    throw new UserFacingError('unknown-paper', `No paper matches "${input}".`);
  };
  const recordedSuggest = (input: string, limit?: number): Paper[] => {
    calls.push({ kind: 'suggest', input: [input] });
    return suggest(input, limit);
  };

  const bot: FakePaperbot = {
    calls,
    papersList,
    closed: false,
    queueStatus: options.queue ?? { running: 0, waiting: 0, concurrency: 4 },
    llmEnabled: options.llmEnabled ?? true,
    papers: async () => papersList,
    paperCount: () => papersList.length,
    // The catalogue's resolver is the fake's own matching (recorded as 'resolve' / 'suggest' calls).
    catalogue: async () => ({
      papers: papersList,
      byId: new Map(papersList.map((paper) => [paper.id, paper])),
      resolver: { resolve: resolve, suggest: (input: string, limit?: number) => recordedSuggest(input, limit) } as unknown as PaperResolver<PaperEntry>,
    }),
    getPapers: async (ids) => new Map(papersList.filter((paper) => ids.includes(paper.id)).map((paper) => [paper.id, paper])),
    loadPapers: async (ids) => ids.flatMap((id) => papersList.filter((paper) => paper.id === id)),
    async search(query: string, searchOptions?: SearchOptions): Promise<SearchResponse> {
      calls.push({ kind: 'search', input: [query] });
      const hits = papersList
        .map((paper) => ({ paper, score: score(paper.title, query), relevant: score(paper.title, query) >= 0.5 }))
        .filter((hit) => hit.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, searchOptions?.k ?? 10);
      return { query, relevant: hits.some((hit) => hit.relevant), hits };
    },
    ask: (question, o) => answer('ask', [question], o),
    compare: (a, b, o) => answer('compare', [a, b], o),
    summarize: (topic, o) => answer('summarize', [topic], o),
    // The real offline claim check over the fake papers.
    checkAnswer: (text, sources, o) => createAnswerChecker(createOfflineClaimScorer(), (ids) => bot.loadPapers(ids)).checkAnswer(text, sources, o),
    // The real consensus core over the fake papers the fake search finds relevant (offline).
    async consensus(claim) {
      calls.push({ kind: 'consensus', input: [claim] });
      const relevant = (await bot.search(claim)).hits.filter((hit) => hit.relevant).map((hit) => hit.paper);
      if (relevant.length === 0) throw new UserFacingError('nothing-relevant', `The corpus has nothing on "${claim}".`);
      return assessConsensus(claim, relevant);
    },
    catchUpThread: async () => undefined,
    resolvePaper: async (input) => resolve(input),
    suggestPapers: async (input, limit) => recordedSuggest(input, limit),
    refreshIndex: async () => false,
    fetchFeeds: async () => {
      throw new Error('the fake paperbot fetches nothing');
    },
    indexVersion: () => `fake-${papersList.length}`,
    modelQueue() {
      return bot.queueStatus;
    },
    async close() {
      bot.closed = true;
    },
  };
  return bot;
}
