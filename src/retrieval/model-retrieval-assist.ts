import { z } from 'zod';
import { escapeData } from '../answer/build-context.js';
import type { Paper } from '../corpus/paper.js';
import type { ChatModel } from '../model/chat-model.js';
import type { Prompts } from '../prompts/load-prompts.js';
import type { RetrievalAssist } from './assist-ranking.js';

export type RetrievalAssistMode = 'off' | 'rewrite' | 'rerank' | 'both';

/** Longest rewrite kept (characters): an abstract's length; more would drown the query. */
const MAX_REWRITE_CHARS = 1_500;
/** How much of each abstract the reranking call sees (characters). */
const RERANK_ABSTRACT_CHARS = 400;
const REWRITE_MAX_TOKENS = 300;
/** One score (≤ 2 digits plus a comma) per candidate, with room for the JSON around them. */
const RERANK_MAX_TOKENS = 200;

const rewriteSchema = z.string().trim().min(1);
const rerankSchema = (n: number) => z.object({ scores: z.array(z.number().min(0).max(10)).length(n) });

export interface AssistLogger {
  warn(obj: object, msg?: string): void;
}

/**
 * Retrieval assist through a chat model: `rewrite` asks for an abstract-like passage answering the
 * question (HyDE); `rerank` asks for one 0–10 score per candidate in one call and validates the JSON.
 * A model fault or an invalid reply is logged and gives undefined (the fused order stands).
 */
export function createModelRetrievalAssist(deps: { model: ChatModel; prompts: Prompts; mode: Exclude<RetrievalAssistMode, 'off'>; logger?: AssistLogger }): RetrievalAssist {
  const { model, prompts, mode } = deps;
  const ask = async (what: string, prompt: string, maxTokens: number): Promise<string | undefined> => {
    try {
      return (await model.complete([{ role: 'user', content: prompt }], { maxTokens, temperature: 0 })).text;
    } catch (error) {
      deps.logger?.warn({ err: error instanceof Error ? error.message : String(error) }, `retrieval ${what} failed; using the fused order`);
      return undefined;
    }
  };
  const assist: RetrievalAssist = {};
  if (mode === 'rewrite' || mode === 'both') {
    assist.rewrite = async (query) => {
      const text = await ask('rewrite', prompts.render('retrieval-rewrite', { question: escapeData(query) }), REWRITE_MAX_TOKENS);
      const parsed = rewriteSchema.safeParse(text);
      return parsed.success ? parsed.data.slice(0, MAX_REWRITE_CHARS) : undefined;
    };
  }
  if (mode === 'rerank' || mode === 'both') {
    assist.rerank = async (query, papers) => {
      if (papers.length === 0) return undefined;
      const prompt = prompts.render('retrieval-rerank', { question: escapeData(query), count: String(papers.length), papers: numberedPapers(papers) });
      const text = await ask('rerank', prompt, RERANK_MAX_TOKENS);
      if (text === undefined) return undefined;
      const parsed = rerankSchema(papers.length).safeParse(parseJsonObject(text));
      if (!parsed.success) deps.logger?.warn({ reply: text.slice(0, 200) }, 'retrieval rerank reply is not valid; using the fused order');
      return parsed.success ? parsed.data.scores : undefined;
    };
  }
  return assist;
}

function numberedPapers(papers: readonly Paper[]): string {
  return papers.map((p, i) => `[${i + 1}] ${escapeData(p.title)}\n${escapeData(p.abstract.slice(0, RERANK_ABSTRACT_CHARS))}`).join('\n\n');
}

/** The first {...} object in a reply (models wrap JSON in prose or ``` fences); undefined when none parses. */
function parseJsonObject(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}
