import path from 'node:path';
import type { AnswerResult } from '../answer/answer-types.js';
import type { LoadPapers, Paper } from '../corpus/paper.js';
import { answerQuestion } from '../answer/answer-question.js';
import { comparePapers } from '../answer/compare-papers.js';
import { summarizeTopic } from '../answer/summarize-topic.js';
import { catchUpWithModel } from '../catchup/summarize-with-model.js';
import type { Config } from '../config.js';
import { PROJECT_ROOT } from '../config.js';
import type { Embedder } from '../embedding/embedder.js';
import { createOfflineEmbedder } from '../embedding/offline-embedder.js';
import type { IngestProgress } from '../ingest/ingest-papers.js';
import { fetchAndIngest } from '../feeds/fetch-and-ingest.js';
import type { ChatModel } from '../model/chat-model.js';
import { createModelQueue, queuedChatModel } from '../model/model-queue.js';
import { loadPrompts } from '../prompts/load-prompts.js';
import { createModelRetrievalAssist } from '../retrieval/model-retrieval-assist.js';
import { settlesWithin } from '../async/settles-within.js';
import { normalizeUserText } from '../text/normalize-input.js';
import { createAnswerChecker, type AnswerChecker } from '../verify/verify-answer.js';
import { createModelClaimVerifier } from '../verify/model-claim-verifier.js';
import { findConsensus, type ConsensusDeps } from '../verify/find-consensus.js';
import { createOfflineClaimScorer, type OfflineClaimScorer } from '../verify/score-claim.js';
import { hasWordSimilarity } from '../embedding/word-neighbours.js';
import type { Prompts } from '../prompts/load-prompts.js';
import type { Logger } from './logger.js';
import { createSilentLogger } from './logger.js';
import type { Paperbot } from './paperbot.js';
import { createPaperStore, openPaperTarget } from './paper-store.js';
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

/** The chat model the configuration asks for (OpenAI-compatible; `modelName` defaults to CHAT_MODEL), or undefined without one. */
async function createChatModel(config: Config, logger: Logger, modelName = config.model.chatModel): Promise<ChatModel | undefined> {
  if (!config.model.enabled) return undefined;
  const { createOpenAIChatModel } = await import('../model/openai-chat-model.js');
  return createOpenAIChatModel({
    apiKey: config.model.apiKey,
    baseURL: config.model.baseURL,
    model: modelName,
    timeoutMs: config.model.timeoutMs,
    maxRetries: config.model.maxRetries,
    logger,
  });
}

/**
 * The claim checker VERIFY_CLAIMS asks for (undefined when off): the offline scorer, or a model's batched
 * check falling back to it (VERIFY_MODEL, else the chat model). Extractive answers, quoted from the
 * abstracts, are always checked offline.
 */
async function createAnswerCheckerFor(
  config: Config,
  deps: { offline: OfflineClaimScorer; prompts: Prompts; model: ChatModel | undefined; queued: (model: ChatModel) => ChatModel; loadPapers: LoadPapers; logger: Logger },
): Promise<AnswerChecker | undefined> {
  if (config.verify.mode === 'off') return undefined;
  if (config.verify.mode === 'offline' || !deps.model) return createAnswerChecker(deps.offline, deps.loadPapers);
  const verifyModel = config.verify.model ? await createChatModel(config, deps.logger, config.verify.model) : undefined;
  const model = verifyModel ? deps.queued(verifyModel) : deps.model;
  return createAnswerChecker(createModelClaimVerifier({ model, prompts: deps.prompts, fallback: deps.offline }), deps.loadPapers, deps.offline);
}

/**
 * The composition root: builds every dependency once (embedder, index, retriever, prompts, model,
 * queue) and returns the `Paperbot` core the shells use. The index is built on first use.
 */
export async function createPaperbot(config: Config, options: CreatePaperbotOptions = {}): Promise<Paperbot> {
  const logger = options.logger ?? createSilentLogger();
  const warn = options.onWarning ?? ((message: string) => logger.warn(message));

  const [prompts, embedder] = await Promise.all([loadPrompts(config.promptsDir), options.embedder ?? createEmbedder(config)]);
  const store = createPaperStore(config, { embedder, bundledCorpusFile: BUNDLED_CORPUS_FILE, onProgress: options.onProgress, onWarning: warn, logger });
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
  const catalogue = () => live.current().catalogue();
  const loadPapers: LoadPapers = (ids) => live.current().loadPapers(ids);
  // One offline scorer (with the offline embedder's word statistics when that is the embedder) for the claim check and consensus.
  const offline = createOfflineClaimScorer({ wordSimilarity: hasWordSimilarity(embedder) ? embedder.wordSimilarity : undefined });
  const checker = await createAnswerCheckerFor(config, { offline, prompts, model, queued: (m) => queuedChatModel(m, queue), loadPapers, logger });
  const consensusDeps: Omit<ConsensusDeps, 'searcher'> = { model, prompts, scorer: offline, maxClaimChars: maxChars };
  const checked = async (result: Promise<AnswerResult>, signal: AbortSignal | undefined) => (checker ? checker.withClaimCheck(await result, { signal }) : result);

  return {
    llmEnabled: model !== undefined,
    catalogue,
    papers: async () => (await catalogue()).papers,
    paperCount: () => live.current().paperCount,
    getPapers: async (ids) => new Map((await loadPapers(ids)).map((paper) => [paper.id, paper])),
    loadPapers,
    search: async (query, searchOptions) => {
      const text = normalizeUserText(query, { maxChars, what: 'search query' });
      return (await fresh()).deps.searcher.search(text, searchOptions);
    },
    ask: async (question, answerOptions) => checked(answerQuestion((await fresh()).deps, question, answerOptions), answerOptions?.signal),
    compare: async (a, b, answerOptions) => checked(comparePapers((await fresh()).deps, a, b, answerOptions), answerOptions?.signal),
    summarize: async (topic, answerOptions) => checked(summarizeTopic((await fresh()).deps, topic, answerOptions), answerOptions?.signal),
    checkAnswer: async (answer, sources, checkOptions) => checker?.checkAnswer(answer, sources, checkOptions),
    consensus: async (claim, consensusOptions) => findConsensus({ ...consensusDeps, searcher: (await fresh()).deps.searcher }, claim, consensusOptions),
    catchUpThread: async (exchanges) => (model ? catchUpWithModel({ model, prompts, historyTokenBudget: config.answer.historyTokenBudget }, exchanges) : undefined),
    resolvePaper: async (input) => (await catalogue()).resolver.resolve(input),
    suggestPapers: async (input, limit) => (await catalogue()).resolver.suggest(input, limit),
    refreshIndex: () => live.refresh(),
    indexVersion: () => live.current().version,
    fetchFeeds: async (fetchOptions) => {
      // Into the same store as `paperbot ingest`: the local index, or the PostgreSQL paper store.
      const target = fetchOptions.dryRun ? undefined : await openPaperTarget(config, embedder);
      try {
        const writePapers = target && ((papers: readonly Paper[]) => target.write(papers, { rebuild: false }));
        const result = await fetchAndIngest({ ...fetchOptions, corpusDir: config.corpusDir, indexDir: config.indexDir, embedder, bundledCorpusFile: BUNDLED_CORPUS_FILE, writePapers });
        await live.refresh();
        return result;
      } finally {
        await target?.close();
      }
    },
    modelQueue: () => queue.status(),
    close: async () => {
      // Let model calls in flight finish, but never hold shutdown for longer than the bound.
      await settlesWithin(queue.onIdle(), CLOSE_TIMEOUT_MS);
      await live.current().close();
    },
  };
}
