import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { buildExportFiles, exportReply } from '../src/bot/export-files.js';
import { UserFacingError } from '../src/errors.js';
import type { ExportFormat } from '../src/export/export-sources.js';
import { threadSources } from '../src/export/thread-sources.js';

export const data = new SlashCommandBuilder()
  .setName('export')
  .setDescription("The papers cited in this thread, as a BibTeX and a Markdown file (only you see them).")
  .addStringOption((option) =>
    option.setName('format').setDescription('One format only (default: both)').addChoices({ name: 'BibTeX (.bib)', value: 'bib' }, { name: 'Markdown (.md)', value: 'md' }),
  );

export const defer: DeferMode = 'ephemeral';

/** The chosen format, or both. */
export function parse(interaction: ChatInputCommandInteraction): ExportFormat[] | undefined {
  const format = interaction.options.getString('format');
  if (format === null) return undefined;
  if (format !== 'bib' && format !== 'md') throw new UserFacingError('usage', 'format must be bib or md.');
  return [format];
}

/** Every source cited in the bot thread this is used in, as attachments to an ephemeral reply. */
export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, formats: ExportFormat[] | undefined): Promise<void> {
  const threadId = interaction.channelId;
  if (!(await ctx.threads.isBotThread(threadId))) {
    throw new UserFacingError('unknown-thread', 'Use /export inside a thread I started with /ask (its answers are what gets exported).');
  }
  const sources = await threadSources(ctx.feedback, threadId);
  const papers = await ctx.paperbot.getPapers(sources.map((source) => source.id));
  const files = buildExportFiles(sources, (id) => papers.get(id), { formats, baseName: `thread-${threadId}-sources`, heading: 'Sources cited in this thread' });
  await interaction.editReply(exportReply(files, 'this thread'));
}
