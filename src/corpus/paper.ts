/** One paper of the corpus, as loaded from a corpus file. */
export interface Paper {
  /** Stable id: the same paper re-ingested keeps it (derived from the normalised title). */
  id: string;
  title: string;
  abstract: string;
  /** A link a reader can click: the record's own url, else one derived from the title. */
  url: string;
  /** GitHub / project URLs found in the abstract. */
  links: string[];
  authors?: string[];
  /** ISO date string when known. */
  published?: string;
  tags?: string[];
  /** Names that identify it in the corpus ("BOSS", "L2P"), from its title and abstract (see extract-aliases.ts); set when papers are loaded. */
  aliases?: string[];
  /** Name-like acronyms its abstract puts in parentheses ("(L2P)"), for paper resolution; set when papers are loaded, with `aliases`. */
  acronyms?: string[];
  /** sha256 of title + abstract (+ metadata): a change means the paper must be re-embedded. */
  contentHash: string;
  /** Where it came from (file basename and 1-based line of its title / record). */
  source: { file: string; line: number };
}

/**
 * A paper as the catalogue lists it: what naming, listing, linking and resolving need — not its
 * abstract, nor what only an ingest reads (content hash, source line). A store that keeps the abstracts
 * out of memory (PostgreSQL) serves these; whole papers are loaded by id when an answer needs them.
 */
export type PaperEntry = Omit<Paper, 'abstract' | 'contentHash' | 'source'>;

/** The whole papers of `ids`, in that order; an id the corpus does not hold (any more) is left out. */
export type LoadPapers = (ids: readonly string[]) => Promise<Paper[]>;

/** A record that could not be loaded, with the reason; reported and skipped, never re-paired. */
export interface SkippedRecord {
  file: string;
  line: number;
  reason: string;
}

export interface ParsedCorpus {
  papers: Paper[];
  skipped: SkippedRecord[];
}
