import { ChannelType, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { assertGuildAdmin } from '../src/bot/admin-check.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { describeDigestOutcome, describeDigestSettings } from '../src/bot/digest/describe-digest.js';
import { assertDigestOwner } from '../src/bot/digest/digest-owner.js';
import { formatNotice } from '../src/bot/format-answer.js';
import { truncate } from '../src/bot/split-text.js';
import { UserFacingError } from '../src/errors.js';

/** The topic named in the preview's first line is cut to this many characters. */
const PREVIEW_TOPIC_CHARS = 200;

export const data = new SlashCommandBuilder()
  .setName('digest')
  .setDescription('Weekly paper digests (server admins).')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sub) => sub.setName('now').setDescription('Post the next digest now, to the digest channel.'))
  .addSubcommand((sub) => sub.setName('preview').setDescription('Show the next digest to you only, without posting it.'))
  .addSubcommand((sub) =>
    sub
      .setName('channel')
      .setDescription('Show or set the channel digests are posted to.')
      .addChannelOption((option) => option.setName('channel').setDescription('The digest channel').addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('topics')
      .setDescription('Show or set the digest topics (rotated, one per digest).')
      .addStringOption((option) => option.setName('topics').setDescription('Topics separated by ";" — or "auto" to discover them from the corpus').setMaxLength(1000)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('schedule')
      .setDescription('Show or set when digests are posted.')
      .addStringOption((option) => option.setName('cron').setDescription('Cron pattern, e.g. "0 9 * * 1" = Mondays 09:00').setMaxLength(100))
      .addStringOption((option) => option.setName('timezone').setDescription('IANA time zone, e.g. Europe/Berlin').setMaxLength(100)),
  );

/** Everything here answers the admin only. */
export const defer: DeferMode = 'ephemeral';

/** The run-time check behind default_member_permissions (server admins can override who sees commands). */
export function parse(interaction: ChatInputCommandInteraction): void {
  assertGuildAdmin(interaction);
}

/** Apply a change, if one was asked for (only from the server owning the digest), then show the settings. */
async function changeThenShow(interaction: ChatInputCommandInteraction, ctx: BotContext, change: (() => Promise<void>) | undefined): Promise<void> {
  if (change) {
    await assertDigestOwner(interaction, ctx);
    await change();
  }
  await interaction.editReply(formatNotice(`${change ? 'Saved.\n' : ''}${describeDigestSettings(await ctx.digest.settings())}`));
}

const SUBCOMMANDS: Record<string, (interaction: ChatInputCommandInteraction, ctx: BotContext) => Promise<void>> = {
  async now(interaction, ctx) {
    await assertDigestOwner(interaction, ctx);
    await interaction.editReply(formatNotice(describeDigestOutcome(await ctx.digest.runNow())));
  },
  async preview(interaction, ctx) {
    const { topic, payloads } = await ctx.digest.preview();
    const [first, ...rest] = payloads;
    if (!first) throw new UserFacingError('empty-digest', `The digest on “${topic}” came out empty.`);
    await interaction.editReply({ ...first, content: `Preview — only you see this. Next topic: **${truncate(topic, PREVIEW_TOPIC_CHARS)}**` });
    for (const payload of rest) await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
  },
  async channel(interaction, ctx) {
    const channel = interaction.options.getChannel('channel');
    await changeThenShow(interaction, ctx, channel ? () => ctx.digest.setChannel(channel.id) : undefined);
  },
  async topics(interaction, ctx) {
    const raw = interaction.options.getString('topics');
    await changeThenShow(interaction, ctx, raw === null ? undefined : () => ctx.digest.setTopics(raw.trim().toLowerCase() === 'auto' ? [] : raw.split(/[;\n]/)));
  },
  async schedule(interaction, ctx) {
    const cron = interaction.options.getString('cron')?.trim() || undefined;
    const timezone = interaction.options.getString('timezone')?.trim() || undefined;
    await changeThenShow(interaction, ctx, cron || timezone ? () => ctx.digest.setSchedule({ cron, timezone }) : undefined);
  },
};

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const sub = interaction.options.getSubcommand(true);
  const run = SUBCOMMANDS[sub];
  if (!run) throw new UserFacingError('unknown-subcommand', `Unknown subcommand ${sub}.`);
  await run(interaction, ctx);
}
