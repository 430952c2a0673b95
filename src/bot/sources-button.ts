import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { UserFacingError } from '../errors.js';
import type { BotContext } from './bot-context.js';
import { buildExportFiles, exportReply, parseSourcesId } from './export-files.js';
import { replyWithError } from './handle-interaction.js';

/** A "Sources" click: the answer's cited papers as `.bib` and `.md` attachments, only to the clicker. */
export async function runSourcesButton(ctx: BotContext, interaction: ButtonInteraction): Promise<void> {
  const answerId = parseSourcesId(interaction.customId);
  if (!answerId) return;
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const answer = await ctx.feedback.getShownAnswer(answerId);
    if (!answer) throw new UserFacingError('no-sources', 'That answer is no longer on record, sorry.');
    const files = buildExportFiles(answer.sources, (id) => ctx.paperbot.getPaper(id), { baseName: 'answer-sources', heading: 'Sources of the answer' });
    await interaction.editReply(exportReply(files, 'this answer'));
    ctx.logger.info({ event: 'sources-exported', answerId, papers: files[0]?.count ?? 0 }, 'sources exported');
  } catch (error) {
    if (!(error instanceof UserFacingError)) ctx.logger.error({ err: error, event: 'sources-failed' }, 'sources export failed');
    await replyWithError(interaction, error).catch(() => undefined);
  }
}
