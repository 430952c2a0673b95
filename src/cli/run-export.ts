import type { Config } from '../config.js';
import { UserFacingError } from '../errors.js';
import type { AnswerResult } from '../answer/answer-types.js';
import { EXPORT_FORMATS, exportSources, type ExportFormat } from '../export/export-sources.js';
import { exportThreadSources } from '../export/thread-sources.js';
import type { Paperbot } from '../app/paperbot.js';
import { openExistingStateStores, stateLocation } from '../state/open-state-stores.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { countOf } from './format-output.js';

/** `--format` checked: `bib` or `md`. */
export function parseExportFormat(value: string): ExportFormat {
  const format = EXPORT_FORMATS.find((known) => known === value.trim().toLowerCase());
  if (!format) throw new UserFacingError('usage', `--format must be one of ${EXPORT_FORMATS.join(', ')} (got "${value}").`);
  return format;
}

/** `paperbot export --thread <id> [--format bib|md] [--out file]`: the papers cited in a bot thread. */
export async function runExportThread(
  config: Config,
  openPaperbot: () => Promise<Pick<Paperbot, 'getPapers'>>,
  options: { threadId: string; format: ExportFormat; outFile: string | undefined; out: (text: string) => void; err: (text: string) => void },
): Promise<void> {
  const threadId = options.threadId.trim();
  if (!/^\d{1,25}$/.test(threadId)) throw new UserFacingError('usage', `--thread must be a Discord thread id (digits), got "${options.threadId.slice(0, 40)}".`);
  const state = await openExistingStateStores(config);
  if (!state) throw new UserFacingError('unknown-thread', `No bot state yet (${stateLocation(config)} does not exist), so no thread ${threadId}.`);
  try {
    const paperbot = await openPaperbot();
    const file = await exportThreadSources(state.feedback, (ids) => paperbot.getPapers(ids), threadId, options.format);
    if (options.outFile) {
      await writeFileAtomic(options.outFile, file.text);
      options.err(`Wrote ${countOf(file.count, 'paper')} to ${options.outFile}.`);
    } else {
      if (file.text) options.out(file.text.trimEnd());
      options.err(`${countOf(file.count, 'paper')} cited in thread ${threadId}.`);
    }
  } finally {
    await state.close();
  }
}

/** `paperbot ask --bib`: the answer's sources as BibTeX on stdout (the answer itself is not printed). */
export async function printSourcesAsBibtex(ctx: { out(text: string): void; err(text: string): void }, paperbot: Pick<Paperbot, 'getPapers'>, result: AnswerResult): Promise<void> {
  if (result.refused || result.sources.length === 0) {
    ctx.err('No sources to export: the answer cites no papers (the corpus has nothing relevant on this question).');
    return;
  }
  const papers = await paperbot.getPapers(result.sources.map((source) => source.id));
  const file = exportSources(result.sources, (id) => papers.get(id), { format: 'bib' });
  ctx.out(file.text.trimEnd());
  ctx.err(`${countOf(file.count, 'source')} as BibTeX.`);
}
