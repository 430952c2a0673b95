import type { AnswerSource, ConversationTurn } from '../answer/answer-types.js';
import type { StoredAnswer } from '../state/feedback-store.js';
import { splitSentences } from '../text/tokenize.js';
import { truncateText } from '../text/truncate-text.js';

/** One question of a thread and its answer, with who asked. */
export interface CatchUpExchange {
  author: string;
  question: string;
  answer: string;
  sources: AnswerSource[];
}

/** One line of a catch-up: who asked what, and the gist of the answer with thread-wide `[k]` markers. */
export interface CatchUpItem {
  author: string;
  question: string;
  gist: string;
}

/** A thread's summary: its items with `[k]` markers numbered over `sources` (the thread's, each paper once). */
export interface CatchUp {
  items: CatchUpItem[];
  sources: AnswerSource[];
  exchanges: number;
  /** Earliest exchanges left out to stay within the length limit. */
  omitted: number;
}

/** The thread's exchanges, oldest first: its stored answers, each with the asker's name from the thread's turns. */
export function threadExchanges(answers: readonly StoredAnswer[], turns: readonly ConversationTurn[]): CatchUpExchange[] {
  const authors = new Map<string, string>();
  for (const turn of turns) if (turn.role === 'user' && turn.author) authors.set(turn.content.trim(), turn.author);
  return answers.map((answer) => ({ author: authors.get(answer.question.trim()) ?? 'Someone', question: answer.question, answer: answer.answer, sources: answer.sources }));
}

/** Thread-wide numbering of sources: the same paper gets the same number in every exchange. */
export function createSourceNumbering(): { number(source: AnswerSource): number; sources: AnswerSource[] } {
  const byId = new Map<string, AnswerSource>();
  return {
    number(source) {
      const known = byId.get(source.id);
      if (known) return known.n;
      const numbered = { ...source, n: byId.size + 1 };
      byId.set(source.id, numbered);
      return numbered.n;
    },
    get sources() {
      return [...byId.values()];
    },
  };
}

/** `[n]` markers re-checked against the answer's own sources and renumbered thread-wide; markers to no source are dropped. */
export function carryCitations(text: string, sources: readonly AnswerSource[], numbering: ReturnType<typeof createSourceNumbering>): string {
  return text
    .replace(/\[(\d{1,3})\]/g, (_, n: string) => {
      const source = sources.find((s) => s.n === Number(n));
      return source ? `[${numbering.number(source)}]` : '';
    })
    .replace(/\s+([.,;:])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** The gist of an answer: its first sentences (list markers removed), up to about `maxChars`. */
export function answerGist(answer: string, maxChars: number): string {
  const plain = answer.replace(/^\s*[-*•]\s+/gm, '').replace(/\s+/g, ' ').trim();
  let gist = '';
  for (const sentence of splitSentences(plain)) {
    if (gist && gist.length + sentence.length + 1 > maxChars) break;
    gist = gist ? `${gist} ${sentence}` : sentence;
    if (gist.length >= maxChars / 2) break;
  }
  return truncateText(gist || plain, maxChars);
}

/**
 * The offline catch-up: for each exchange, who asked what and the gist of the answer, with its
 * citations re-checked and carried over; the newest exchanges are kept when all of them do not fit
 * in `maxChars` (counted over questions and gists).
 */
export function summarizeExtractively(exchanges: readonly CatchUpExchange[], options: { maxChars: number; gistChars?: number }): CatchUp {
  const gistChars = options.gistChars ?? 300;
  let kept = 0;
  let used = 0;
  for (const exchange of [...exchanges].reverse()) {
    const size = Math.min(exchange.question.length, 200) + Math.min(exchange.answer.length, gistChars) + exchange.author.length + 20;
    if (kept > 0 && used + size > options.maxChars) break;
    used += size;
    kept += 1;
  }
  const numbering = createSourceNumbering();
  const items = exchanges.slice(exchanges.length - kept).map((exchange) => ({
    author: exchange.author,
    question: truncateText(exchange.question.replace(/\s+/g, ' ').trim(), 200),
    gist: carryCitations(answerGist(exchange.answer, gistChars), exchange.sources, numbering),
  }));
  return { items, sources: numbering.sources, exchanges: exchanges.length, omitted: exchanges.length - kept };
}
