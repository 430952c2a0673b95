import { BUNDLED_CORPUS_FILE, createEmbedder } from '../app/create-paperbot.js';
import type { Config } from '../config.js';
import type { CorpusFormat } from '../corpus/parse-corpus-file.js';
import type { AddedCorpusFile } from '../ingest/add-corpus-files.js';
import { ingestCorpusDir } from '../ingest/ingest-corpus-dir.js';
import { openPaperTarget } from '../app/paper-store.js';
import { countOf } from './format-output.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';

function reportAdded(corpusDir: string, files: readonly AddedCorpusFile[], err: (text: string) => void): void {
  for (const file of files) {
    const skipped = file.skipped.length ? `, ${countOf(file.skipped.length, 'malformed record')} skipped` : '';
    err(`${file.replaced ? 'Replaced' : 'Added'} ${file.name} in ${corpusDir}: ${countOf(file.papers, 'paper')}${skipped}.`);
  }
}

/** A progress bar per ingest phase (embedding, writing), on stderr. */
function phaseProgress(embedderId: string, stream: NodeJS.WritableStream): { update: (p: { phase: string; done: number; total: number }) => void; stop: () => void } {
  let progress: ProgressReporter | undefined;
  let phase = '';
  return {
    update(p) {
      if (p.phase !== phase) {
        progress?.stop();
        phase = p.phase;
        progress = createProgressReporter(p.phase === 'embedding' ? `Embedding papers (${embedderId})` : 'Writing the index', stream);
      }
      progress?.update(p.done, p.total);
    },
    stop: () => progress?.stop(),
  };
}

/**
 * `paperbot ingest [files…] [--rebuild] [--replace]`: under the index writer lock, copy the files
 * into the corpus folder (so a rebuild can always recover them), then bring the index up to date
 * incrementally, with progress and a summary. Without --rebuild, an index built by another embedder
 * is refused before anything is copied; a file named like an existing corpus file is refused unless
 * --replace, which also lets the files' papers win over the same papers in other corpus files.
 */
export async function runIngest(
  config: Config,
  files: readonly string[],
  options: { rebuild: boolean; replace?: boolean; format: CorpusFormat | undefined },
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): Promise<void> {
  const err = (text: string) => io.stderr.write(`${text}\n`);
  const embedder = await createEmbedder(config);
  const started = Date.now();
  const target = await openPaperTarget(config, embedder);
  const progress = phaseProgress(embedder.id, io.stderr);
  const { summary, skipped } = await ingestCorpusDir({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embedder,
    rebuild: options.rebuild,
    bundledCorpusFile: BUNDLED_CORPUS_FILE,
    add: { files, format: options.format, replace: options.replace ?? false },
    onFilesAdded: (added) => reportAdded(config.corpusDir, added, err),
    onWarning: err,
    onProgress: progress.update,
    writePapers: target && ((papers) => target.write(papers, { rebuild: options.rebuild, onProgress: progress.update })),
  }).finally(async () => {
    progress.stop();
    await target?.close();
  });
  for (const s of skipped) err(`  skipped ${s.file}:${s.line}: ${s.reason}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  io.stdout.write(
    `Index ${summary.rebuilt ? 'rebuilt' : 'updated'} in ${seconds} s: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.removed} removed, ${summary.skipped} skipped — ${countOf(summary.total, 'paper')} in ${target?.where ?? config.indexDir}.\n`,
  );
}
