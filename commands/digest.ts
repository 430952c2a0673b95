import {
  ChannelType,
  DiscordAPIError,
  InteractionContextType,
  RESTJSONErrorCodes,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { assertGuildAdmin } from '../src/bot/admin-check.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import type { DigestSettings } from '../src/bot/digest/digest-service.js';
import { formatNotice } from '../src/bot/format-answer.js';
import { truncate } from '../src/bot/split-text.js';
import { UserFacingError } from '../src/errors.js';

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
export function validate(interaction: ChatInputCommandInteraction): void {
  assertGuildAdmin(interaction);
}

/**
 * The server that owns the digest settings (they are global, one digest for the whole bot):
 * DISCORD_GUILD_ID when set, else the server of the configured digest channel. Undefined when no
 * server owns it yet (no channel set, or the channel is gone / no longer visible to the bot).
 */
export async function digestOwnerGuild(interaction: Pick<ChatInputCommandInteraction, 'client'>, ctx: BotContext): Promise<string | undefined> {
  if (ctx.config.discord.guildId) return ctx.config.discord.guildId;
  const channelId = ctx.digest.settings().channelId;
  if (!channelId) return undefined;
  try {
    const channel = await interaction.client.channels.fetch(channelId);
    return channel && 'guildId' in channel && channel.guildId ? channel.guildId : undefined;
  } catch (error) {
    if (error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.UnknownChannel || error.code === RESTJSONErrorCodes.MissingAccess)) return undefined;
    throw error;
  }
}

/** Refuse changes to the digest from a server other than the one that owns it. */
export async function assertDigestOwner(interaction: Pick<ChatInputCommandInteraction, 'client' | 'guildId'>, ctx: BotContext): Promise<void> {
  const owner = await digestOwnerGuild(interaction, ctx);
  if (owner !== undefined && owner !== interaction.guildId) {
    throw new UserFacingError('digest-other-server', 'The digest is run from another server, so it can only be changed there (by its admins).');
  }
}

export function describeSettings(settings: DigestSettings): string {
  const next = settings.nextRunAt === null ? 'never' : `<t:${Math.floor(settings.nextRunAt / 1000)}:F>`;
  return [
    `**Channel:** ${settings.channelId ? `<#${settings.channelId}>` : 'not set'}`,
    `**Schedule:** \`${settings.cron}\` (${settings.timezone}) — next: ${next}`,
    `**Topics** (${settings.topicsSource}): ${truncate(settings.topics.join('; ') || 'none', 1500)}`,
  ].join('\n');
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const sub = interaction.options.getSubcommand(true);
  const reply = (text: string) => interaction.editReply(formatNotice(text));
  switch (sub) {
    case 'now': {
      await assertDigestOwner(interaction, ctx);
      const outcome = await ctx.digest.runNow();
      await reply(outcome.posted ? `Posted the digest on “${outcome.topic}” to <#${outcome.channelId}>${outcome.newPapers ? ` (${outcome.newPapers} new papers)` : ''}.` : 'No digest was posted.');
      return;
    }
    case 'preview': {
      const { topic, payloads } = await ctx.digest.preview();
      const [first, ...rest] = payloads;
      if (!first) throw new UserFacingError('empty-digest', `The digest on “${topic}” came out empty.`);
      await interaction.editReply({ ...first, content: `Preview — only you see this. Next topic: **${truncate(topic, 200)}**` });
      for (const payload of rest) await interaction.followUp({ ...payload, flags: 64 });
      return;
    }
    case 'channel': {
      const channel = interaction.options.getChannel('channel');
      if (channel) {
        await assertDigestOwner(interaction, ctx);
        ctx.digest.setChannel(channel.id);
      }
      await reply(`${channel ? 'Saved.\n' : ''}${describeSettings(ctx.digest.settings())}`);
      return;
    }
    case 'topics': {
      const raw = interaction.options.getString('topics');
      if (raw !== null) await assertDigestOwner(interaction, ctx);
      if (raw !== null) ctx.digest.setTopics(raw.trim().toLowerCase() === 'auto' ? [] : raw.split(/[;\n]/));
      await reply(`${raw !== null ? 'Saved.\n' : ''}${describeSettings(ctx.digest.settings())}`);
      return;
    }
    case 'schedule': {
      const cron = interaction.options.getString('cron');
      const timezone = interaction.options.getString('timezone');
      if (cron !== null || timezone !== null) {
        await assertDigestOwner(interaction, ctx);
        const current = ctx.digest.settings();
        ctx.digest.setSchedule(cron?.trim() || current.cron, timezone?.trim() || current.timezone);
      }
      await reply(`${cron !== null || timezone !== null ? 'Saved.\n' : ''}${describeSettings(ctx.digest.settings())}`);
      return;
    }
    default:
      throw new UserFacingError('unknown-subcommand', `Unknown subcommand ${sub}.`);
  }
}
