import type { Config } from '../config.js';
import type { LoadPapers } from '../corpus/paper.js';
import type { ChatModel } from '../model/chat-model.js';
import type { Prompts } from '../prompts/load-prompts.js';
import type { PaperSearcher } from '../retrieval/search-types.js';
import type { PaperCatalogue } from './paper-catalogue.js';

export interface AnswerLogger {
  warn(obj: object, msg?: string): void;
}

/** What the answering pipeline needs; built once by the composition root. */
export interface AnswerDeps {
  searcher: PaperSearcher;
  /** All papers of the corpus as catalogue entries, without abstracts, and their resolver (nickname resolution, titles named in a conversation); asked for only when needed. */
  catalogue: () => Promise<PaperCatalogue>;
  /** The whole papers of ids (the two a comparison names). */
  loadPapers: LoadPapers;
  /** How rare a (stemmed) term is in the corpus: the weights of the extractive answers (see termIdf). */
  idf: (term: string) => number;
  /** Absent → offline: clearly-labelled extractive answers. */
  model?: ChatModel;
  prompts: Prompts;
  config: Config['answer'];
  logger?: AnswerLogger;
}
