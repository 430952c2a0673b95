/**
 * The retrieval parts of `npm run bench`: quality per question set (ours vs BM25 baselines), topic
 * recall, method-name resolution, the relevance flag per set, the cost of alias extraction, and the
 * cost of model-assisted retrieval (RETRIEVAL_ASSIST) with a fake model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Paperbot } from '../src/app/paperbot.js';
import { createPaperbot } from '../src/app/create-paperbot.js';
import { loadConfig } from '../src/config.js';
import { withDistinctAliases } from '../src/corpus/extract-aliases.js';
import type { Paper } from '../src/corpus/paper.js';
import { evaluateRetrieval } from '../src/eval/evaluate-retrieval.js';
import { loadEvalQuestions, type EvalQuestion } from '../src/eval/load-eval-questions.js';
import type { ChatMessage, ChatModel, Completion } from '../src/model/chat-model.js';
import type { PaperSearcher } from '../src/retrieval/search-types.js';
import { syntheticRecords } from './bench-synthetic-corpus.js';

type Row = (string | number)[];
type Table = (header: string[], rows: Row[]) => void;

/** Question sets in reading order: the original ones, then each new set's tuning half before its held-out half. */
const SET_ORDER = ['dev-questions', 'paraphrase-questions', 'paraphrase-heldout-questions', 'hard-paraphrase', 'topic-queries', 'method-names'];
const orderOf = (name: string) => {
  const i = SET_ORDER.findIndex((prefix) => name.startsWith(prefix));
  return (i < 0 ? SET_ORDER.length : i) * 10 + (name.includes('heldout') ? 1 : 0);
};

/** Every question set in `dir` (JSONL files except the off-topic ones and the labelled claims of the claim check), by name. */
export function loadQuestionSets(dir: string): Map<string, EvalQuestion[]> {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl') && !name.startsWith('off-topic') && !name.startsWith('claims-'))
    .sort((a, b) => orderOf(a) - orderOf(b) || a.localeCompare(b));
  return new Map(names.map((name) => [name, loadEvalQuestions(path.join(dir, name))]));
}

const f3 = (x: number) => x.toFixed(3);
const isTopicSet = (questions: readonly EvalQuestion[]) => questions.every((q) => q.kind === 'topic');

/** R@k, MRR and all-in-top-10 per question set and searcher; topic sets as recall@10 (plain and diverse). */
export async function printRetrievalQuality(sets: Map<string, EvalQuestion[]>, searchers: [string, PaperSearcher][], papers: readonly Paper[], table: Table): Promise<void> {
  for (const [name, questions] of sets) {
    const topics = isTopicSet(questions);
    console.log(`\n  ${name} (${questions.length} ${topics ? 'topics; recall@10 = share of a topic’s relevant papers in the top 10, averaged' : 'questions'})`);
    const rows: Row[] = [];
    for (const [label, searcher] of searchers) {
      const e = await evaluateRetrieval(searcher, questions, papers);
      if (!topics) {
        rows.push([label, f3(e.r1), f3(e.r5), f3(e.r10), f3(e.mrr), f3(e.allInTop10)]);
        continue;
      }
      const diverse = await evaluateRetrieval(searcher, questions, papers, { diverse: true });
      rows.push([label, f3(e.recall10), f3(e.allInTop10), label.startsWith('paperbot') ? f3(diverse.recall10) : '']);
    }
    if (topics) table(['method', 'recall@10', 'all-in-top-10', 'recall@10, diverse (MMR: summarize, digests)'], rows);
    else table(['method', 'R@1', 'R@5', 'R@10', 'MRR', 'all-in-top-10'], rows);
  }
}

/** Method names resolved as `paperbot compare` / `paper` resolve them (Paperbot.resolvePaper). */
export async function printNameResolution(sets: Map<string, EvalQuestion[]>, bot: Paperbot, table: Table): Promise<void> {
  const rows: Row[] = [];
  for (const [name, questions] of sets) {
    if (!questions.every((q) => q.kind === 'method-name')) continue;
    let right = 0;
    let wrong = 0;
    for (const q of questions) {
      try {
        if ((await bot.resolvePaper(q.question)).title === q.expected[0]) right++;
        else wrong++;
      } catch {
        // unresolved (unknown or ambiguous): counted as the remainder
      }
    }
    rows.push([name, `${right} / ${questions.length}`, wrong, questions.length - right - wrong]);
  }
  table(['method names', 'resolved to the expected paper', 'to another paper', 'not resolved'], rows);
}

/** The response-level `relevant` flag: on-topic sets should be flagged, off-topic ones not. */
export async function printRelevanceFlags(sets: Map<string, EvalQuestion[]>, dir: string, searcher: PaperSearcher, table: Table): Promise<void> {
  const rows: Row[] = [];
  for (const [name, questions] of sets) {
    let flagged = 0;
    for (const q of questions) if ((await searcher.search(q.question)).relevant) flagged++;
    rows.push([name, 'on-topic', `${flagged} / ${questions.length} flagged relevant`]);
  }
  for (const name of readdirSync(dir).filter((n) => n.startsWith('off-topic') && n.endsWith('.jsonl')).sort()) {
    const offTopic = readFileSync(path.join(dir, name), 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { question: string }).question);
    let flagged = 0;
    for (const q of offTopic) if ((await searcher.search(q)).relevant) flagged++;
    rows.push([name, 'off-topic', `${flagged} / ${offTopic.length} wrongly flagged relevant`]);
  }
  table(['question set', 'kind', 'result'], rows);
}

/**
 * Time of alias extraction (withDistinctAliases, as createPaperbot runs it at start-up) over `count`
 * synthetic papers; mention counts are O(1) look-ups in the loaded lexical index, stubbed here.
 */
export function measureAliasExtraction(source: readonly Paper[], count: number): { ms: number; withAliases: number } {
  const records = [...syntheticRecords(source, count)];
  const started = performance.now();
  const out = withDistinctAliases(records, () => 1);
  return { ms: performance.now() - started, withAliases: out.filter((p) => p.aliases.length > 0).length };
}

/** A fake chat model for RETRIEVAL_ASSIST costs: waits `delayMs`, answers the rewrite or rerank prompt plausibly, counts tokens (~4 characters each). */
function createDelayedAssistModel(delayMs: number): ChatModel & { calls: number; promptTokens: number; completionTokens: number } {
  const model = {
    id: 'bench-assist',
    calls: 0,
    promptTokens: 0,
    completionTokens: 0,
    async complete(messages: readonly ChatMessage[]): Promise<Completion> {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const prompt = messages.map((m) => m.content).join('\n');
      const count = Number(/\((\d+) scores\)/.exec(prompt)?.[1] ?? 0);
      const question = /<question>\n([^]*?)\n<\/question>/.exec(prompt)?.[1] ?? '';
      const text = count
        ? JSON.stringify({ scores: Array.from({ length: count }, (_, i) => (i * 7) % 11) })
        : `We study ${question} We propose a method for this problem and evaluate it on standard benchmarks, where it improves over strong baselines. The approach is simple, general and efficient.`;
      const usage = { promptTokens: Math.ceil(prompt.length / 4), completionTokens: Math.ceil(text.length / 4) };
      model.calls++;
      model.promptTokens += usage.promptTokens;
      model.completionTokens += usage.completionTokens;
      return { text, model: 'bench-assist', usage: { ...usage, totalTokens: usage.promptTokens + usage.completionTokens, estimated: true } };
    },
  };
  return model;
}

/** Search latency and extra tokens per search for each RETRIEVAL_ASSIST mode, with a fake model of fixed delay. */
export async function printAssistCost(env: Record<string, string>, questions: readonly string[], delayMs: number, table: Table): Promise<void> {
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
  const rows: Row[] = [];
  for (const mode of ['off', 'rewrite', 'rerank', 'both'] as const) {
    const model = createDelayedAssistModel(delayMs);
    const bot = await createPaperbot(loadConfig({ ...env, RETRIEVAL_ASSIST: mode }), { chatModel: model });
    await bot.search(questions[0]!);
    const [calls0, prompt0, completion0] = [model.calls, model.promptTokens, model.completionTokens];
    const times: number[] = [];
    for (const q of questions) {
      const t = performance.now();
      await bot.search(q, { k: 10 });
      times.push(performance.now() - t);
    }
    await bot.close();
    const n = questions.length;
    rows.push([mode, ((model.calls - calls0) / n).toFixed(1), ((model.promptTokens - prompt0) / n).toFixed(0), ((model.completionTokens - completion0) / n).toFixed(0), `${pct(times, 0.5).toFixed(0)} ms`, `${pct(times, 0.95).toFixed(0)} ms`]);
  }
  table(['RETRIEVAL_ASSIST', 'model calls / search', 'extra prompt tokens / search', 'extra completion tokens / search', 'search p50', 'search p95'], rows);
}
