import { createHash } from 'node:crypto';
import type { Paper } from '../corpus/paper.js';
import { LexicalIndex } from '../retrieval/lexical-index.js';

/** A probe exercising the tokenizer (stop words, stems, hyphen parts, digits, accents) and the title weight. */
const PROBE: Paper = {
  id: 'probe',
  url: '',
  links: [],
  contentHash: '',
  source: { file: 'probe', line: 1 },
  title: 'Rehearsal-free Continual Learning of LLMs: GPT-4 Scaling Laws',
  abstract:
    "We're studying how the models' performance improves when training on 1.5B tokens; e.g. retrieval-augmented generation, RLHF and naïve fine-tuning of transformers, with diffusion policies for robots.",
};

/**
 * Fingerprint of the lexical index code as it is now (tokenizer, BM25 parameters, serialisation):
 * the hash of a probe document's serialised index. A stored lexical.json with another fingerprint
 * was made by other code and is rebuilt instead of loaded.
 */
export function lexicalFingerprint(): string {
  return createHash('sha256').update(LexicalIndex.build([PROBE]).toJSON()).digest('hex').slice(0, 16);
}

/**
 * What commitIndex stores for these papers: lexical.json (built only when the writer gets to it, and
 * streamed in chunks rather than held as one string).
 */
export function lexicalForCommit(papers: readonly Paper[]): { fingerprint: string; json: () => Iterable<string> } {
  return { fingerprint: lexicalFingerprint(), json: () => LexicalIndex.build(papers).toJSONChunks() };
}

/**
 * The lexical index of an opened index: the stored one when it was written by this code for exactly
 * these papers, else built from the papers (older index, other tokenizer, unreadable file).
 */
export function loadLexicalIndex(papers: readonly Paper[], stored: { json: string; fingerprint: string } | undefined): { index: LexicalIndex; loaded: boolean } {
  if (stored && stored.fingerprint === lexicalFingerprint()) {
    try {
      const index = LexicalIndex.fromJSON(stored.json);
      if (index.size === papers.length && papers.every((paper) => index.has(paper.id))) return { index, loaded: true };
    } catch {
      // Unreadable: rebuilt below.
    }
  }
  return { index: LexicalIndex.build(papers), loaded: false };
}
