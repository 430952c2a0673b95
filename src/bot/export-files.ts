import { ButtonStyle, ComponentType, type APIButtonComponent } from 'discord.js';
import type { AnswerSource } from '../answer/answer-types.js';
import type { PaperEntry } from '../corpus/paper.js';
import { UserFacingError } from '../errors.js';
import { EXPORT_FORMATS, exportSources, type ExportFormat, type SourcesFile } from '../export/export-sources.js';
import { DISCORD_LIMITS as L, NO_MENTIONS } from './discord-limits.js';

export const SOURCES_PREFIX = 'sources';

/** What the bot uploads at most in one message (Discord allows 10 MiB without boosts; headroom for the form). */
export const EXPORT_FILE_MAX_BYTES = 8 * 1024 * 1024;

/** The "Sources" button of an answer: custom id `sources:<answerId>`. */
export function sourcesButton(answerId: string): APIButtonComponent {
  return { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${SOURCES_PREFIX}:${answerId}`.slice(0, L.customId), emoji: { name: '📚' }, label: 'Sources' };
}

/** The answer id of a "Sources" button, or undefined. */
export function parseSourcesId(customId: string): string | undefined {
  return /^sources:(.+)$/.exec(customId)?.[1];
}

/** The files of an export: one format, or both (`.bib` and `.md`). */
export function buildExportFiles(
  sources: readonly AnswerSource[],
  getPaper: (id: string) => PaperEntry | undefined,
  options: { formats?: readonly ExportFormat[]; baseName: string; heading: string },
): SourcesFile[] {
  const formats = options.formats ?? EXPORT_FORMATS;
  const files = formats.map((format) => exportSources(sources, getPaper, { format, baseName: options.baseName, heading: options.heading }));
  const bytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0);
  if (bytes > EXPORT_FILE_MAX_BYTES) {
    throw new UserFacingError('too-long', 'These sources are too many for a Discord attachment; export them with `paperbot export --thread <id>` on the bot\'s machine.');
  }
  return files;
}

/** The (ephemeral) reply carrying the files: a one-line summary, the attachments, pinging no one. */
export function exportReply(files: readonly SourcesFile[], what: string): { content: string; files: { attachment: Buffer; name: string }[]; allowedMentions: typeof NO_MENTIONS } {
  const count = files[0]?.count ?? 0;
  if (count === 0) throw new UserFacingError('no-sources', `No sources to export: ${what} cites no papers.`);
  return {
    content: `${count} ${count === 1 ? 'paper' : 'papers'} cited in ${what}, as ${files.map((file) => `\`${file.name}\``).join(' and ')}.`,
    files: files.map((file) => ({ attachment: Buffer.from(file.text, 'utf8'), name: file.name })),
    allowedMentions: NO_MENTIONS,
  };
}
