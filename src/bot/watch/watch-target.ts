import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { UserFacingError } from '../../errors.js';
import type { WatchScope } from '../../state/watch-store.js';
import { validateUserText } from '../validate-input.js';

/** A watch topic is at most this many characters. */
export const MAX_WATCH_TOPIC_CHARS = 200;
/** Watches per user or channel. */
export const MAX_WATCHES_PER_TARGET = 25;

export interface WatchTarget {
  scope: WatchScope;
  targetId: string;
  subscriberId: string;
}

/** The `topic` option, cleaned, one line, within MAX_WATCH_TOPIC_CHARS. */
export function parseWatchTopic(interaction: ChatInputCommandInteraction): string {
  return validateUserText(interaction.options.getString('topic', true), MAX_WATCH_TOPIC_CHARS, 'topic', false);
}

/**
 * Who the command is about: this channel with `channel:true` (in a server, for members who may Manage
 * Channels), else the user (notices by DM).
 */
export function resolveWatchTarget(interaction: ChatInputCommandInteraction): WatchTarget {
  const subscriberId = interaction.user.id;
  if (!interaction.options.getBoolean('channel')) return { scope: 'user', targetId: subscriberId, subscriberId };
  if (!interaction.inGuild()) throw new UserFacingError('guild-only', 'Channel watches only work in a server channel; without `channel` I send you a DM.');
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels, true)) {
    throw new UserFacingError('not-channel-manager', 'Only members who may Manage Channels can set a watch for this channel; without `channel` I send you a DM.');
  }
  return { scope: 'channel', targetId: interaction.channelId, subscriberId };
}

/** “you” or “this channel”, for replies. */
export function describeTarget(target: WatchTarget): string {
  return target.scope === 'user' ? 'you (by DM)' : `<#${target.targetId}>`;
}
