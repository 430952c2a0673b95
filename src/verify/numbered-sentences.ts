import { escapeData } from '../answer/build-context.js';
import { splitSentences } from '../text/tokenize.js';

/** A source for a judging prompt: its number, title and some of its abstract's sentences, each with its 1-based index. */
export interface SentenceSource {
  n: number;
  title: string;
  sentences: { k: number; text: string }[];
}

/** Every sentence of an abstract, numbered from 1. */
export function numberSentences(n: number, paper: { title: string; abstract: string }): SentenceSource {
  return { n, title: paper.title, sentences: splitSentences(paper.abstract).map((text, i) => ({ k: i + 1, text })) };
}

/** The sources as prompt text: "[2] Title: …" then one "[2.3] sentence" line per sentence (escaped as data). */
export function formatSentenceSources(sources: readonly SentenceSource[]): string {
  return sources
    .map((source) => [`[${source.n}] Title: ${escapeData(source.title)}`, ...source.sentences.map((s) => `[${source.n}.${s.k}] ${escapeData(s.text)}`)].join('\n'))
    .join('\n\n');
}

/**
 * The sentence a reference like "2.3" (or "[2.3]") names, when it is one of `allowed` sources' sentences
 * shown in the prompt; undefined otherwise.
 */
export function resolveSentenceRef(ref: string, sources: readonly SentenceSource[], allowed: readonly number[]): string | undefined {
  const match = /^\[?\s*(\d{1,4})\.(\d{1,4})\s*\]?$/.exec(ref.trim());
  if (!match) return undefined;
  const n = Number(match[1]);
  const k = Number(match[2]);
  if (!allowed.includes(n)) return undefined;
  return sources.find((s) => s.n === n)?.sentences.find((s) => s.k === k)?.text;
}
