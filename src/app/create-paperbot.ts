import path from 'node:path';
import { answerQuestion } from '../answer/answer-question.js';
import { comparePapers } from '../answer/compare-papers.js';
import { summarizeTopic } from '../answer/summarize-topic.js';
import type { Config } from '../config.js';
import { PROJECT_ROOT } from '../config.js';
import type { Embedder } from '../embedding/embedder.js';
import { createOfflineEmbedder } from '../embedding/offline-embedder.js';
import type { IngestProgress } from '../ingest/ingest-papers.js';
import { createLocalPaperStore } from '../ingest/local-paper-store.js';
import { fetchAndIngest } from '../feeds/fetch-and-ingest.js';
import type { ChatModel } from '../model/chat-model.js';
import { createModelQueue, queuedChatModel } from '../model/model-queue.js';
import { loadPrompts } from '../prompts/load-prompts.js';
import { createModelRetrievalAssist } from '../retrieval/model-retrieval-assist.js';
import { settlesWithin } from '../async/settles-within.js';
import { normalizeUserText } from '../text/normalize-input.js';
import type { Logger } from './logger.js';
import { createSilentLogger } from './logger.js';
import type { Paperbot } from './paperbot.js';
import { assertPaperStoreAvailable } from './paper-store.js';
import { createLivePaperView } from './live-paper-view.js';
import { buildPaperView, type PaperViewParts } from './paper-view.js';
import type { OpenedPaperStore } from '../store/paper-store.js';

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

/** The chat model the configuration asks for (OpenAI-compatible), or undefined without one. */
async function createChatModel(config: Config, logger: Logger): Promise<ChatModel | undefined> {
  if (!config.model.enabled) return undefined;
  const { createOpenAIChatModel } = await import('../model/openai-chat-model.js');
  return createOpenAIChatModel({
    apiKey: config.model.apiKey,
    baseURL: config.model.baseURL,
    model: config.model.chatModel,
    timeoutMs: config.model.timeoutMs,
    maxRetries: config.model.maxRetries,
    logger,
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
  const queue = createModelQueue(config.model.concurrency);
  const baseModel = options.chatModel ?? (await createChatModel(config, logger));
  const model = baseModel ? queuedChatModel(baseModel, queue) : undefined;
  const assist = model && config.retrieval.assist !== 'off' ? createModelRetrievalAssist({ model, prompts, mode: config.retrieval.assist, logger }) : undefined;
  const parts: PaperViewParts = { embedder, assist, model, prompts, config: config.answer, logger };
  const build = (opened: OpenedPaperStore) => buildPaperView(opened, parts);
  // The papers are reloaded when the index changes (an ingest or fetch by this or another process).
  const live = createLivePaperView({ store, initial: build(await store.open()), build, logger });
  /** The current papers, caught up with the index first (a request keeps the view it started with). */
  const fresh = async () => {
    await live.refresh();
    return live.current();
  };
  const maxChars = config.answer.maxQuestionChars;

  return {
    llmEnabled: model !== undefined,
    papers: () => live.current().papers,
    getPaper: (id) => live.current().byId.get(id),
    search: async (query, searchOptions) => {
      const text = normalizeUserText(query, { maxChars, what: 'search query' });
      return (await fresh()).deps.searcher.search(text, searchOptions);
    },
    ask: async (question, answerOptions) => answerQuestion((await fresh()).deps, question, answerOptions),
    compare: async (a, b, answerOptions) => comparePapers((await fresh()).deps, a, b, answerOptions),
    summarize: async (topic, answerOptions) => summarizeTopic((await fresh()).deps, topic, answerOptions),
    resolvePaper: (input) => live.current().resolver.resolve(input),
    suggestPapers: (input, limit) => live.current().resolver.suggest(input, limit),
    refreshIndex: () => live.refresh(),
    indexVersion: () => live.current().version,
    fetchFeeds: async (fetchOptions) => {
      const result = await fetchAndIngest({ ...fetchOptions, corpusDir: config.corpusDir, indexDir: config.indexDir, embedder, bundledCorpusFile: BUNDLED_CORPUS_FILE });
      await live.refresh();
      return result;
    },
    modelQueue: () => queue.status(),
    close: async () => {
      // Let model calls in flight finish, but never hold shutdown for longer than the bound.
      await settlesWithin(queue.onIdle(), CLOSE_TIMEOUT_MS);
    },
  };
}
