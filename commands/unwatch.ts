import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { formatNotice } from '../src/bot/format-answer.js';
import { asPlainText } from '../src/bot/safe-markdown.js';
import { describeTarget, MAX_WATCH_TOPIC_CHARS, parseWatchTopic, resolveWatchTarget, type WatchTarget } from '../src/bot/watch/watch-target.js';
import { UserFacingError } from '../src/errors.js';

export const data = new SlashCommandBuilder()
  .setName('unwatch')
  .setDescription('Stop watching a topic.')
  .addStringOption((option) => option.setName('topic').setDescription('The topic, as /watches lists it').setRequired(true).setMaxLength(MAX_WATCH_TOPIC_CHARS))
  .addBooleanOption((option) => option.setName('channel').setDescription("This channel's watch instead of yours (needs Manage Channels)"));

export const defer: DeferMode = 'ephemeral';

export function parse(interaction: ChatInputCommandInteraction): { topic: string; target: WatchTarget } {
  return { topic: parseWatchTopic(interaction), target: resolveWatchTarget(interaction) };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, input: { topic: string; target: WatchTarget }): Promise<void> {
  const { topic, target } = input;
  if (!(await ctx.watches.remove(target.scope, target.targetId, topic))) {
    throw new UserFacingError('watch-not-found', `${describeTarget(target)} do not watch “${asPlainText(topic)}”; /watches lists the watches.`);
  }
  ctx.logger.info({ event: 'watch-removed', scope: target.scope }, 'unwatch');
  await interaction.editReply(formatNotice(`Stopped watching “${asPlainText(topic)}” for ${describeTarget(target)}.`));
}
