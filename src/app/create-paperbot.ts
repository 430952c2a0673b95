import path from 'node:path';
import type { AnswerDeps } from '../answer/answer-question.js';
import { answerQuestion } from '../answer/answer-question.js';
import { comparePapers } from '../answer/compare-papers.js';
import { PaperResolver } from '../answer/resolve-paper.js';
import { summarizeTopic } from '../answer/summarize-topic.js';
import { catchUpWithModel } from '../catchup/summarize-with-model.js';
import type { Config } from '../config.js';
import { PROJECT_ROOT } from '../config.js';
import { withDistinctAliases } from '../corpus/extract-aliases.js';
import type { Paper } from '../corpus/paper.js';
import type { Embedder } from '../embedding/embedder.js';
import { createOfflineEmbedder } from '../embedding/offline-embedder.js';
import type { IngestProgress } from '../ingest/ingest-papers.js';
import { createLocalPaperStore } from '../ingest/local-paper-store.js';
import type { ChatModel } from '../model/chat-model.js';
import { createModelQueue, queuedChatModel } from '../model/model-queue.js';
import { loadPrompts } from '../prompts/load-prompts.js';
import { mentionCounter } from '../retrieval/match-aliases.js';
import { createModelRetrievalAssist } from '../retrieval/model-retrieval-assist.js';
import { createHybridSearcher } from '../retrieval/search-papers.js';
import { settlesWithin } from '../async/settles-within.js';
import { normalizeUserText } from '../text/normalize-input.js';
import type { Logger } from './logger.js';
import { createSilentLogger } from './logger.js';
import type { Paperbot } from './paperbot.js';
import { assertPaperStoreAvailable } from './paper-store.js';

/** The corpus shipped with the project; seeds an empty data directory. */
export const BUNDLED_CORPUS_FILE = path.join(PROJECT_ROOT, 'data', 'corpus', 'hf-trending-papers.txt');

/** How long close() waits for model calls in flight. */
const CLOSE_TIMEOUT_MS = 10_000;

export interface CreatePaperbotOptions {
  logger?: Logger;
  /** Progress of a (re)build of the index, e.g. on first use. */
  onProgress?: (progress: IngestProgress) => void;
  /** Non-fatal problems worth telling the operator (unreadable index rebuilt, skipped records…). */
  onWarning?: (message: string) => void;
  /** Overrides for tests and benchmarks. */
  embedder?: Embedder;
  chatModel?: ChatModel;
}

/** Build the embedder the configuration asks for: OpenAI-compatible when EMBEDDING_MODEL is set, else offline. */
export async function createEmbedder(config: Config): Promise<Embedder> {
  if (!config.embedding.model) return createOfflineEmbedder();
  // The openai SDK is imported only when configured (~80 ms of start-up otherwise).
  const { createOpenAIEmbedder } = await import('../model/openai-embedder.js');
  return createOpenAIEmbedder({
    apiKey: config.embedding.apiKey,
    baseURL: config.embedding.baseURL,
    model: config.embedding.model,
    dimensions: config.embedding.dimensions,
    maxRetries: config.model.maxRetries,
    timeoutMs: config.model.timeoutMs,
  });
}

/**
 * The composition root: builds every dependency once (embedder, index, retriever, prompts, model,
 * queue) and returns the `Paperbot` core the shells use. The index is built on first use.
 */
export async function createPaperbot(config: Config, options: CreatePaperbotOptions = {}): Promise<Paperbot> {
  assertPaperStoreAvailable(config);
  const logger = options.logger ?? createSilentLogger();
  const warn = options.onWarning ?? ((message: string) => logger.warn(message));

  const [prompts, embedder] = await Promise.all([loadPrompts(config.promptsDir), options.embedder ?? createEmbedder(config)]);
  const store = createLocalPaperStore({
    bundledCorpusFile: BUNDLED_CORPUS_FILE,
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embedder,
    onProgress: options.onProgress,
    onWarning: warn,
  });
  const index = await store.open();
  // Each paper's method names ("BOSS", "L2P"), for search and paper resolution; not stored in the index.
  const papers: readonly Paper[] = withDistinctAliases(index.papers, mentionCounter(index.lexical));
  const byId = new Map(papers.map((paper) => [paper.id, paper]));

  const queue = createModelQueue(config.model.concurrency);
  const baseModel =
    options.chatModel ??
    (config.model.enabled
      ? (await import('../model/openai-chat-model.js')).createOpenAIChatModel({
          apiKey: config.model.apiKey,
          baseURL: config.model.baseURL,
          model: config.model.chatModel,
          timeoutMs: config.model.timeoutMs,
          maxRetries: config.model.maxRetries,
          logger,
        })
      : undefined);
  const model = baseModel ? queuedChatModel(baseModel, queue) : undefined;
  const assist = model && config.retrieval.assist !== 'off' ? createModelRetrievalAssist({ model, prompts, mode: config.retrieval.assist, logger }) : undefined;
  const searcher = createHybridSearcher({ papers, lexical: index.lexical, vectors: index.vectors, embedder, assist });
  const resolver = new PaperResolver(papers);

  const deps: AnswerDeps = { searcher, papers, model, prompts, config: config.answer, logger, resolver };
  const maxChars = config.answer.maxQuestionChars;

  return {
    llmEnabled: model !== undefined,
    papers: () => papers,
    getPaper: (id) => byId.get(id),
    search: (query, searchOptions) => searcher.search(normalizeUserText(query, { maxChars, what: 'search query' }), searchOptions),
    ask: (question, answerOptions) => answerQuestion(deps, question, answerOptions),
    compare: (a, b, answerOptions) => comparePapers(deps, a, b, answerOptions),
    summarize: (topic, answerOptions) => summarizeTopic(deps, topic, answerOptions),
    catchUpThread: async (exchanges) => (model ? catchUpWithModel({ model, prompts, historyTokenBudget: config.answer.historyTokenBudget }, exchanges) : undefined),
    resolvePaper: (input) => resolver.resolve(input),
    suggestPapers: (input, limit) => resolver.suggest(input, limit),
    modelQueue: () => queue.status(),
    close: async () => {
      // Let model calls in flight finish, but never hold shutdown for longer than the bound.
      await settlesWithin(queue.onIdle(), CLOSE_TIMEOUT_MS);
    },
  };
}
