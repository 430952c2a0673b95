import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { assertGuildAdmin } from '../src/bot/admin-check.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { NO_MENTIONS } from '../src/bot/discord-limits.js';
import { COLORS } from '../src/bot/format-answer.js';
import { asPlainText } from '../src/bot/safe-markdown.js';
import { truncate } from '../src/bot/split-text.js';
import { oneLine } from '../src/gaps/format-gap-report.js';
import type { GapReport } from '../src/gaps/gap-log.js';

const DAY_MS = 86_400_000;
/** Topics shown: 8 fields of ≤ 620 characters keep the embed well within Discord's 6,000. */
const MAX_FIELDS = 8;

export const data = new SlashCommandBuilder()
  .setName('gaps')
  .setDescription('The most-asked topics the papers could not answer here (server admins).')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addIntegerOption((option) => option.setName('days').setDescription('How far back (default 30)').setMinValue(1).setMaxValue(3650));

export const defer: DeferMode = 'ephemeral';

/** Days back; only admins (Manage Server) get past here. */
export function parse(interaction: ChatInputCommandInteraction): number {
  assertGuildAdmin(interaction);
  return interaction.options.getInteger('days') ?? 30;
}

/** The report as one embed: a field per topic (count, askers, examples), within Discord's limits. */
export function gapsEmbed(report: GapReport, days: number) {
  const description = report.total === 0
    ? `No coverage gaps in the last ${days} days: every question found sources.`
    : `${report.total} question${report.total === 1 ? '' : 's'} in the last ${days} days were refused or answered without sources. Papers on these topics would help:`;
  const fields = report.topics.slice(0, MAX_FIELDS).map((topic) => ({
    name: truncate(`${asPlainText(topic.topic)} — ${topic.count} (${topic.askers} ${topic.askers === 1 ? 'person' : 'people'})`, 120),
    value: truncate(topic.examples.map((example) => `• ${asPlainText(oneLine(example, 200))}`).join('\n') || '—', 500),
  }));
  return { title: 'Coverage gaps', description, color: COLORS.info, fields };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, days: number): Promise<void> {
  const report = await ctx.gaps.report({ since: ctx.clock.now() - days * DAY_MS, ...(interaction.guildId ? { guildId: interaction.guildId } : {}), maxTopics: 8 });
  await interaction.editReply({ embeds: [gapsEmbed(report, days)], allowedMentions: NO_MENTIONS });
}
