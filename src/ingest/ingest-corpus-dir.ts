import type { Paper, SkippedRecord } from '../corpus/paper.js';
import type { CorpusFormat } from '../corpus/parse-corpus-file.js';
import type { Embedder } from '../embedding/embedder.js';
import { IndexCorruptError } from '../store/index-errors.js';
import { assertSameEmbedder, readIndexManifest } from '../store/index-manifest.js';
import { withWriterLock, type WriterLock } from '../store/writer-lock.js';
import { addCorpusFiles, type AddedCorpusFile } from './add-corpus-files.js';
import { assertCorpusDir, ensureCorpus, listCorpusFiles, loadCorpusDir, stampCorpusDir } from './corpus-dir.js';
import { CORPUS_ORDER_FILE, orderCorpusFiles, readCorpusOrder, writeCorpusOrder } from './corpus-order.js';
import { updateIndex, type IngestProgress, type IngestSummary } from './ingest-papers.js';

export interface FilesToAdd {
  files: readonly string[];
  format?: CorpusFormat | undefined;
  /** Replace a corpus file of the same name, and let these files' papers win over existing ones. */
  replace?: boolean | undefined;
}

export interface IngestCorpusDirOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  rebuild?: boolean | undefined;
  /** When given, an empty or missing corpus folder is first seeded with this file. */
  bundledCorpusFile?: string | undefined;
  /** Operator files to copy into the corpus folder first (under the same lock as the ingest). */
  add?: FilesToAdd | undefined;
  /** Called once the files in `add` are in the corpus folder, before anything is embedded. */
  onFilesAdded?: ((files: AddedCorpusFile[]) => void) | undefined;
  onProgress?: ((progress: IngestProgress) => void) | undefined;
  /** Short messages for the operator: corpus seeded, order file unreadable. */
  onWarning?: ((message: string) => void) | undefined;
  batchSize?: number | undefined;
  /** Wait this long for another writer before failing with IndexLockedError (default 0). */
  lockWaitMs?: number | undefined;
  /** Called once when another writer holds the lock and this ingest waits for it. */
  onLockWait?: ((owner: { pid: number } | undefined) => void) | undefined;
  /**
   * Where the corpus's papers go instead of the local index in `indexDir` (e.g. PostgreSQL); the
   * corpus folder is still prepared under the local lock. Checks its own embedder.
   */
  writePapers?: ((papers: readonly Paper[]) => Promise<IngestSummary>) | undefined;
}

export interface IngestCorpusDirResult {
  /** `skipped` counts malformed corpus records plus duplicate ids. */
  summary: IngestSummary;
  /** The malformed / duplicate corpus records, with file, line and reason. */
  skipped: SkippedRecord[];
}

/** Refuse, before the corpus is touched, an index built by another embedder (an unreadable one is rebuilt anyway). */
async function assertIndexEmbedder(options: IngestCorpusDirOptions): Promise<void> {
  if (options.rebuild || options.writePapers) return;
  const manifest = await readIndexManifest(options.indexDir).catch((error: unknown) => {
    if (error instanceof IndexCorruptError) return undefined;
    throw error;
  });
  if (manifest) assertSameEmbedder(options.indexDir, manifest, options.embedder);
}

/** Seed and add files, then bring the recorded order of the corpus files up to date; returns that order. */
async function prepareCorpus(options: IngestCorpusDirOptions): Promise<string[]> {
  const { corpusDir, onWarning } = options;
  if (options.bundledCorpusFile) {
    const seeded = await ensureCorpus(corpusDir, options.bundledCorpusFile);
    if (seeded.seeded) onWarning?.(`The corpus folder ${corpusDir} was empty; seeded it with ${seeded.files.join(', ')}.`);
  }
  const before = await listCorpusFiles(corpusDir);
  let given: string[] = [];
  if (options.add && options.add.files.length > 0) {
    const files = await addCorpusFiles(corpusDir, options.add.files, options.add);
    options.onFilesAdded?.(files);
    given = files.map((file) => file.name);
  }
  await assertCorpusDir(corpusDir);
  const recorded = await readCorpusOrder(corpusDir);
  if (recorded.unreadable) onWarning?.(`${CORPUS_ORDER_FILE} in ${corpusDir} is unreadable; rewriting it with the corpus files in name order.`);
  const changes = { added: given.filter((name) => !before.includes(name)), preferred: options.add?.replace ? given : [] };
  const order = orderCorpusFiles(await listCorpusFiles(corpusDir), recorded.files, changes);
  if (recorded.unreadable || order.join('\n') !== recorded.files.join('\n')) await writeCorpusOrder(corpusDir, order);
  return order;
}

/** ingestCorpusDir for a caller that already holds the writer lock (to change the corpus folder under the same lock first). */
export async function ingestCorpusDirUnderLock(lock: WriterLock, options: IngestCorpusDirOptions): Promise<IngestCorpusDirResult> {
  await assertIndexEmbedder(options);
  const order = await prepareCorpus(options);
  const stamps = await stampCorpusDir(options.corpusDir);
  const corpus = await loadCorpusDir(options.corpusDir, order);
  const summary = options.writePapers ? await options.writePapers(corpus.papers) : await updateIndex(lock, {
    indexDir: options.indexDir,
    papers: corpus.papers,
    embedder: options.embedder,
    corpus: stamps,
    rebuild: options.rebuild,
    onProgress: options.onProgress,
    batchSize: options.batchSize,
  });
  return { summary: { ...summary, skipped: summary.skipped + corpus.skipped.length }, skipped: corpus.skipped };
}

/**
 * What `paperbot ingest` runs. Under the index writer lock, taken before the corpus folder is
 * touched: seed an empty corpus folder, copy in the files to add, parse every corpus file (the file
 * added first wins a duplicate paper) and bring the index up to date incrementally (unless
 * `rebuild`), recording the corpus file stamps in the manifest.
 */
export async function ingestCorpusDir(options: IngestCorpusDirOptions): Promise<IngestCorpusDirResult> {
  const lockOptions = { waitMs: options.lockWaitMs ?? 0, ...(options.onLockWait ? { onWait: options.onLockWait } : {}) };
  return withWriterLock(options.indexDir, lockOptions, (lock) => ingestCorpusDirUnderLock(lock, options));
}
