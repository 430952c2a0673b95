import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { formatNotice } from '../src/bot/format-answer.js';
import { asPlainText } from '../src/bot/safe-markdown.js';
import { describeTarget, MAX_WATCH_TOPIC_CHARS, MAX_WATCHES_PER_TARGET, parseWatchTopic, resolveWatchTarget, type WatchTarget } from '../src/bot/watch/watch-target.js';
import { UserFacingError } from '../src/errors.js';

export const data = new SlashCommandBuilder()
  .setName('watch')
  .setDescription('Get the new papers on a topic after each fetch (by DM, or in this channel).')
  .addStringOption((option) => option.setName('topic').setDescription('What to watch, e.g. "continual learning"').setRequired(true).setMaxLength(MAX_WATCH_TOPIC_CHARS))
  .addBooleanOption((option) => option.setName('channel').setDescription('Post to this channel instead of DMing you (needs Manage Channels)'));

export const defer: DeferMode = 'ephemeral';

export function parse(interaction: ChatInputCommandInteraction): { topic: string; target: WatchTarget } {
  return { topic: parseWatchTopic(interaction), target: resolveWatchTarget(interaction) };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, input: { topic: string; target: WatchTarget }): Promise<void> {
  const { topic, target } = input;
  const existing = await ctx.watches.list(target.scope, target.targetId);
  const shown = `“${asPlainText(topic)}”`;
  if (existing.length >= MAX_WATCHES_PER_TARGET && !existing.some((w) => w.topic.toLowerCase() === topic.toLowerCase())) {
    throw new UserFacingError('watch-limit', `${describeTarget(target)} already watch ${MAX_WATCHES_PER_TARGET} topics; remove one with /unwatch first.`);
  }
  const { added } = await ctx.watches.add({ ...target, topic }, ctx.clock.now());
  ctx.logger.info({ event: added ? 'watch-added' : 'watch-exists', scope: target.scope }, 'watch');
  const where = target.scope === 'user' ? 'I will DM you' : `I will post in ${describeTarget(target)} and mention you`;
  await interaction.editReply(
    formatNotice(added ? `Watching ${shown}: after each fetch, ${where} the new papers about it.` : `Already watching ${shown} for ${describeTarget(target)}.`),
  );
}
