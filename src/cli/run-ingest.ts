import { BUNDLED_CORPUS_FILE, createEmbedder } from '../app/create-paperbot.js';
import type { Config } from '../config.js';
import type { CorpusFormat } from '../corpus/parse-corpus-file.js';
import type { SkippedRecord } from '../corpus/paper.js';
import { addCorpusFiles, ensureCorpus } from '../ingest/corpus-dir.js';
import { ingestCorpusDir } from '../ingest/ingest-corpus-dir.js';
import { IndexCorruptError } from '../store/index-errors.js';
import { assertSameEmbedder, readIndexManifest } from '../store/index-manifest.js';
import { countOf } from './format-output.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';

const err = (text: string) => process.stderr.write(`${text}\n`);

function listSkipped(skipped: readonly SkippedRecord[]): void {
  for (const s of skipped) err(`  skipped ${s.file}:${s.line}: ${s.reason}`);
}

/**
 * `paperbot ingest [files…] [--rebuild] [--replace]`: copy the files into the corpus folder (so a
 * rebuild can always recover them), then bring the index up to date incrementally, with progress
 * and a summary. Without --rebuild, an index built by another embedder is refused before anything
 * is copied; a file named like an existing corpus file is refused unless --replace.
 */
export async function runIngest(
  config: Config,
  files: readonly string[],
  options: { rebuild: boolean; replace?: boolean; format: CorpusFormat | undefined },
): Promise<void> {
  const embedder = await createEmbedder(config);
  if (!options.rebuild) {
    // An unreadable index is rebuilt by the ingest itself; only a readable one can refuse the embedder.
    const manifest = await readIndexManifest(config.indexDir).catch((error: unknown) => {
      if (error instanceof IndexCorruptError) return undefined;
      throw error;
    });
    if (manifest) assertSameEmbedder(config.indexDir, manifest, embedder);
  }
  await ensureCorpus(config.corpusDir, BUNDLED_CORPUS_FILE);
  if (files.length > 0) {
    const added = await addCorpusFiles(config.corpusDir, files, { ...(options.format ? { format: options.format } : {}), replace: options.replace ?? false });
    for (const file of added) {
      const skipped = file.skipped.length ? `, ${countOf(file.skipped.length, 'malformed record')} skipped` : '';
      err(`${file.replaced ? 'Replaced' : 'Added'} ${file.name} in ${config.corpusDir}: ${countOf(file.papers, 'paper')}${skipped}.`);
    }
  }
  const started = Date.now();
  let progress: ProgressReporter | undefined;
  let phase = '';
  const { summary, skipped } = await ingestCorpusDir({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embedder,
    rebuild: options.rebuild,
    onProgress: (p) => {
      if (p.phase !== phase) {
        progress?.stop();
        phase = p.phase;
        progress = createProgressReporter(p.phase === 'embedding' ? `Embedding papers (${embedder.id})` : 'Writing the index');
      }
      progress?.update(p.done, p.total);
    },
  });
  progress?.stop();
  listSkipped(skipped);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `Index ${summary.rebuilt ? 'rebuilt' : 'updated'} in ${seconds} s: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.removed} removed, ${summary.skipped} skipped — ${countOf(summary.total, 'paper')} in ${config.indexDir}.\n`,
  );
}
