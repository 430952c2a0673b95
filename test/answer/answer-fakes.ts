import { createHash } from 'node:crypto';
import path from 'node:path';
import type { AnswerDeps } from '../../src/answer/answer-deps.js';
import type { Paper } from '../../src/corpus/paper.js';
import { wholePaperLoader } from '../../src/corpus/paper-loader.js';
import { paperCatalogue } from '../../src/answer/paper-catalogue.js';
import { buildIdf } from '../../src/answer/answer-extractively.js';
import type { ChatMessage, ChatModel, Completion, CompletionOptions } from '../../src/model/chat-model.js';
import { loadPrompts, type Prompts } from '../../src/prompts/load-prompts.js';
import type { PaperSearcher, SearchOptions, SearchResponse } from '../../src/retrieval/search-types.js';
import { tokenize } from '../../src/text/tokenize.js';
import { loadTestCorpus, TEST_PROJECT_ROOT } from '../support/load-test-corpus.js';

export const PROMPTS_DIR = path.join(TEST_PROJECT_ROOT, 'prompts');

let promptsPromise: Promise<Prompts> | undefined;
export function realPrompts(): Promise<Prompts> {
  promptsPromise ??= loadPrompts(PROMPTS_DIR);
  return promptsPromise;
}

let corpus: Paper[] | undefined;
export function corpusPapers(): Paper[] {
  corpus ??= loadTestCorpus();
  return corpus;
}

/** A real corpus paper by exact title (throws when absent, so tests fail loudly). */
export function paperTitled(title: string): Paper {
  const paper = corpusPapers().find((p) => p.title === title);
  if (!paper) throw new Error(`test corpus has no paper titled ${title}`);
  return paper;
}

export function makePaper(title: string, abstract: string): Paper {
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return {
    id,
    title,
    abstract,
    url: `https://example.org/${id}`,
    links: [],
    contentHash: createHash('sha256').update(`${title}\n${abstract}`).digest('hex'),
    source: { file: 'test.txt', line: 1 },
  };
}

/**
 * A lexical searcher over a few papers: score = share of the query terms found in title + abstract;
 * hits with score ≥ `minScore` are relevant. Records every query.
 */
export class FakeSearcher implements PaperSearcher {
  readonly calls: { query: string; options: SearchOptions | undefined }[] = [];
  constructor(
    private readonly papers: readonly Paper[],
    private readonly minScore = 0.34,
  ) {}
  async search(query: string, options?: SearchOptions): Promise<SearchResponse> {
    this.calls.push({ query, options });
    const terms = [...new Set(tokenize(query))];
    const hits = this.papers
      .map((paper) => {
        const have = new Set(tokenize(`${paper.title} ${paper.abstract}`));
        const score = terms.length ? terms.filter((t) => have.has(t)).length / terms.length : 0;
        return { paper, score, relevant: score >= this.minScore };
      })
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, options?.k ?? 10);
    return { query, relevant: hits.some((h) => h.relevant), hits };
  }
}

export type Script = string | Error | ((messages: readonly ChatMessage[]) => string | Error);

/** A chat model that returns scripted text (streamed word by word when `onToken` is given) or throws. */
export class FakeChatModel implements ChatModel {
  readonly id = 'fake-chat';
  readonly calls: { messages: ChatMessage[]; options: CompletionOptions | undefined }[] = [];
  private readonly queue: Script[];
  constructor(
    scripts: Script | Script[],
    private readonly fallbackScript?: Script,
  ) {
    this.queue = Array.isArray(scripts) ? [...scripts] : [scripts];
  }
  async complete(messages: readonly ChatMessage[], options?: CompletionOptions): Promise<Completion> {
    this.calls.push({ messages: [...messages], options });
    const script = this.queue.length > 1 ? this.queue.shift()! : (this.queue[0] ?? this.fallbackScript ?? '');
    const out = typeof script === 'function' ? script(messages) : script;
    if (out instanceof Error) throw out;
    if (options?.onToken) for (const piece of out.match(/\S+\s*|\s+/g) ?? []) options.onToken(piece);
    const promptTokens = Math.ceil(messages.map((m) => m.content).join('\n').length / 4);
    const completionTokens = Math.ceil(out.length / 4);
    return { text: out, usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens }, model: this.id };
  }
}

export const TEST_ANSWER_CONFIG: AnswerDeps['config'] = { contextTokenBudget: 3_000, historyTokenBudget: 1_000, maxQuestionChars: 1_000 };

export async function makeDeps(papers: readonly Paper[], model?: ChatModel, overrides: Partial<AnswerDeps> = {}): Promise<AnswerDeps & { searcher: FakeSearcher; warnings: object[] }> {
  const warnings: object[] = [];
  const searcher = new FakeSearcher(papers);
  return {
    searcher,
    catalogue: async () => paperCatalogue(papers),
    loadPapers: wholePaperLoader(papers),
    idf: buildIdf(papers),
    ...(model ? { model } : {}),
    prompts: await realPrompts(),
    config: TEST_ANSWER_CONFIG,
    logger: { warn: (obj) => warnings.push(obj) },
    warnings,
    ...overrides,
  } as AnswerDeps & { searcher: FakeSearcher; warnings: object[] };
}

/** The text between `<tag>` and `</tag>` in a prompt (first occurrence). */
export function between(text: string, tag: string): string {
  const start = text.indexOf(`<${tag}>`);
  const end = text.indexOf(`</${tag}>`, start);
  if (start < 0 || end < 0) throw new Error(`no <${tag}> block in prompt`);
  return text.slice(start + tag.length + 2, end);
}
