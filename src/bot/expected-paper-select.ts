import { ComponentType, MessageFlags, type APIActionRowComponent, type APIStringSelectComponent, type StringSelectMenuInteraction } from 'discord.js';
import type { BotContext } from './bot-context.js';
import { DISCORD_LIMITS as L, NO_MENTIONS } from './discord-limits.js';
import { truncate } from './split-text.js';

export const EXPECTED_PREFIX = 'expected';

/** Papers offered in the menu (Discord allows 25 options). */
const MAX_CANDIDATES = 25;

/** The answer id of a "which paper should have answered?" menu, or undefined. */
export function parseExpectedId(customId: string): string | undefined {
  return /^expected:(.+)$/.exec(customId)?.[1];
}

/** The candidates: the papers the answer cited, then the best search hits for its question; each once, ≤ 25. */
export async function candidatePapers(ctx: Pick<BotContext, 'paperbot'>, answer: { question: string; sources: readonly { id: string }[] }): Promise<{ id: string; title: string }[]> {
  const hits = await ctx.paperbot.search(answer.question, { k: MAX_CANDIDATES });
  const cited = await ctx.paperbot.getPapers(answer.sources.map((source) => source.id));
  const papers = [...answer.sources.map((source) => cited.get(source.id)), ...hits.hits.map((hit) => hit.paper)];
  const seen = new Set<string>();
  const candidates: { id: string; title: string }[] = [];
  for (const paper of papers) {
    if (!paper || seen.has(paper.id) || paper.id.length > L.choiceValue || candidates.length >= MAX_CANDIDATES) continue;
    seen.add(paper.id);
    candidates.push({ id: paper.id, title: paper.title });
  }
  return candidates;
}

/** The optional "which paper should have answered?" menu shown after a 👎. */
export function expectedPaperMenu(answerId: string, candidates: readonly { id: string; title: string }[]): APIActionRowComponent<APIStringSelectComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: `${EXPECTED_PREFIX}:${answerId}`.slice(0, L.customId),
        placeholder: 'Optional: which paper should have answered?',
        min_values: 1,
        max_values: 1,
        options: candidates.map((paper) => ({ label: truncate(paper.title.replace(/\s+/g, ' ').trim() || paper.id, L.choiceName), value: paper.id })),
      },
    ],
  };
}

/** After a 👎: the menu's row for this answer, or none when the answer or candidates are gone. */
export async function expectedPaperComponents(ctx: BotContext, answerId: string): Promise<APIActionRowComponent<APIStringSelectComponent>[]> {
  const answer = await ctx.feedback.getShownAnswer(answerId);
  if (!answer) return [];
  const candidates = await candidatePapers(ctx, answer);
  return candidates.length ? [expectedPaperMenu(answerId, candidates)] : [];
}

/** A choice in the menu: stored with the vote (a regression test for `paperbot feedback --export --as-eval`); the menu is replaced by a thank-you. */
export async function runExpectedPaperSelect(ctx: BotContext, interaction: StringSelectMenuInteraction): Promise<void> {
  const answerId = parseExpectedId(interaction.customId);
  if (!answerId) return;
  try {
    const chosen = interaction.values[0] ?? '';
    const paper = (await ctx.paperbot.getPapers([chosen])).get(chosen);
    const stored = paper ? await ctx.feedback.recordExpectedPaper({ answerId, userId: interaction.user.id, paperId: paper.id, title: paper.title }, ctx.clock.now()) : false;
    ctx.logger.info({ event: 'expected-paper', answerId, paperId: paper?.id, stored }, 'expected paper');
    const content = stored && paper ? `Noted — “${truncate(paper.title, 200)}” should have answered. It becomes a regression test.` : 'That paper or answer is no longer on record, sorry.';
    await interaction.update({ content, components: [], allowedMentions: NO_MENTIONS });
  } catch (error) {
    ctx.logger.error({ err: error, event: 'expected-paper-failed' }, 'expected paper failed');
    await interaction.reply({ content: 'Sorry, that could not be saved.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS }).catch(() => undefined);
  }
}
