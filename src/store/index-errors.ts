import { UserFacingError } from '../errors.js';

/** No index has been built in this folder yet (first use). */
export class IndexMissingError extends UserFacingError {
  readonly indexDir: string;
  constructor(indexDir: string) {
    super('index-missing', `No paper index in ${indexDir} yet: run \`paperbot ingest\` to build it.`);
    this.indexDir = indexDir;
  }
}

/**
 * The index on disk is unreadable (empty/truncated file, invalid JSON, inconsistent files). The
 * corpus is the source of truth, so the caller rebuilds the index from it (with a warning).
 */
export class IndexCorruptError extends UserFacingError {
  readonly indexDir: string;
  readonly detail: string;
  constructor(indexDir: string, detail: string, options?: { cause?: unknown }) {
    super('index-corrupt', `The paper index in ${indexDir} is unreadable (${detail}); run \`paperbot ingest --rebuild\` to rebuild it from the corpus.`, options);
    this.indexDir = indexDir;
    this.detail = detail;
  }
}

/** The index was built by another embedder (or with other dimensions) than the configured one. */
export class EmbedderMismatchError extends UserFacingError {
  constructor(indexDir: string, built: { id: string; dimensions: number }, configured: { id: string; dimensions: number }) {
    super(
      'embedder-mismatch',
      `The paper index in ${indexDir} was built with embedder "${built.id}" (${built.dimensions} dimensions), but the configured embedder is "${configured.id}" (${configured.dimensions} dimensions). ` +
        'Run `paperbot ingest --rebuild` to re-embed the corpus with the configured embedder, or restore the previous embedding settings.',
    );
  }
}

/** Another process holds the index writer lock. */
export class IndexLockedError extends UserFacingError {
  readonly pid: number | undefined;
  constructor(indexDir: string, owner: { pid?: number; startedAt?: string } | undefined) {
    const who = owner?.pid ? ` (pid ${owner.pid}${owner.startedAt ? `, started ${owner.startedAt}` : ''})` : '';
    super(
      'index-locked',
      `Another ingest is running${who} on the paper index in ${indexDir}; wait for it to finish and try again. ` +
        'A lock left by a process that died is recovered automatically.',
    );
    this.pid = owner?.pid;
  }
}
