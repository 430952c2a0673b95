import type { Config } from '../config.js';
import type { Paper } from '../corpus/paper.js';
import type { ChatModel } from '../model/chat-model.js';
import type { Prompts } from '../prompts/load-prompts.js';
import type { PaperSearcher } from '../retrieval/search-types.js';
import type { PaperResolver } from './resolve-paper.js';

export interface AnswerLogger {
  warn(obj: object, msg?: string): void;
}

/** What the answering pipeline needs; built once by the composition root. */
export interface AnswerDeps {
  searcher: PaperSearcher;
  /** All papers of the corpus (for nickname resolution, term statistics, titles named in a conversation). */
  papers: readonly Paper[];
  /** Absent → offline: clearly-labelled extractive answers. */
  model?: ChatModel;
  prompts: Prompts;
  config: Config['answer'];
  logger?: AnswerLogger;
  /** A resolver built once over `papers`; built per call when absent. */
  resolver?: PaperResolver;
}
