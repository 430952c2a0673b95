import type { PaperEntry } from '../../corpus/paper.js';
import { GENERIC_TITLE_WORDS, frequentPhrases } from '../../text/frequent-phrases.js';

/**
 * Digest topics discovered from the corpus: the most frequent title phrases (two-word phrases in
 * at least `minPapers` titles first, then single words), deterministic (ties alphabetical).
 */
export function discoverTopics(papers: readonly PaperEntry[], count = 8, minPapers = 3): string[] {
  // A short name before a colon ("VideoMAE V2: …") is the paper's own name, not a topic.
  const titles = papers.map((paper) => paper.title.replace(/^[^:]{1,40}:\s*/, (prefix) => (prefix.split(/\s+/).length <= 3 ? '' : prefix)));
  return frequentPhrases(titles, { count, minCount: minPapers, generic: GENERIC_TITLE_WORDS });
}
