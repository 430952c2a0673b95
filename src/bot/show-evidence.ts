import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { BotContext } from './bot-context.js';
import { formatEvidence, EVIDENCE_TEXTS } from './format-evidence.js';
import { formatNotice } from './format-answer.js';

/**
 * A "Show evidence" click: the answer's text and sources are read back from the state (so the button
 * works after a restart), its claim check recomputed with the configured verifier, and the evidence
 * for each flagged sentence replied ephemerally.
 */
export async function showEvidence(ctx: BotContext, interaction: ButtonInteraction, answerId: string): Promise<void> {
  // A model check can take longer than Discord's 3 s.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const shown = await ctx.feedback.getShownAnswer(answerId);
  if (!shown) {
    await interaction.editReply(formatNotice(EVIDENCE_TEXTS.unknown));
    return;
  }
  const check = await ctx.paperbot.checkAnswer(shown.answer, shown.sources, { mode: shown.mode });
  const [first, ...rest] = formatEvidence(check, shown.sources);
  await interaction.editReply({ ...first!, content: first!.content ?? '' });
  for (const more of rest) await interaction.followUp({ ...more, flags: MessageFlags.Ephemeral });
  ctx.logger.info({ event: 'evidence', answerId, flagged: check?.summary.unsupported ?? null, userId: interaction.user.id }, 'evidence shown');
}
