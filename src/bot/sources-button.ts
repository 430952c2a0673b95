import type { ButtonInteraction } from 'discord.js';
import { UserFacingError } from '../errors.js';
import type { BotContext } from './bot-context.js';
import { replyToButtonEphemerally } from './ephemeral-button.js';
import { buildExportFiles, exportReply, parseSourcesId } from './export-files.js';

/** A "Sources" click: the answer's cited papers as `.bib` and `.md` attachments, only to the clicker. */
export async function runSourcesButton(ctx: BotContext, interaction: ButtonInteraction): Promise<void> {
  const answerId = parseSourcesId(interaction.customId);
  if (!answerId) return;
  await replyToButtonEphemerally(ctx, interaction, 'sources-failed', async () => {
    const answer = await ctx.feedback.getShownAnswer(answerId);
    if (!answer) throw new UserFacingError('no-sources', 'That answer is no longer on record, sorry.');
    const papers = await ctx.paperbot.getPapers(answer.sources.map((source) => source.id));
    const files = buildExportFiles(answer.sources, (id) => papers.get(id), { baseName: 'answer-sources', heading: 'Sources of the answer' });
    ctx.logger.info({ event: 'sources-exported', answerId, papers: files[0]?.count ?? 0 }, 'sources exported');
    return exportReply(files, 'this answer');
  });
}
