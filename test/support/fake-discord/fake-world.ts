/**
 * In-memory Discord "world" for the fake: users, one or more guilds, roles, channels, threads and
 * messages, stored as raw Discord API v10 JSON objects (snake_case), plus the builders that turn
 * them into the payloads discord.js expects (GUILD_CREATE, members, messages, threads).
 *
 * See fake-discord.ts for the test-facing API.
 */
import { PermissionFlagsBits, SnowflakeUtil } from 'discord.js';

/** Raw API JSON object. */
export type Json = Record<string, unknown>;

export interface RawUser extends Json {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
}

export interface RawRole extends Json {
  id: string;
  name: string;
  permissions: string;
  position: number;
  managed: boolean;
}

export interface RawOverwrite {
  id: string;
  /** 0 = role, 1 = member */
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface RawChannel extends Json {
  id: string;
  type: number;
  guild_id?: string;
  name?: string;
  parent_id?: string | null;
  owner_id?: string;
  permission_overwrites?: RawOverwrite[];
  thread_metadata?: Json & { archived: boolean; locked: boolean };
  recipients?: RawUser[];
  last_message_id?: string | null;
}

export interface RawMessage extends Json {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: RawUser;
  content: string;
  embeds: Json[];
  components: Json[];
  attachments: Json[];
  mentions: RawUser[];
  flags: number;
  type: number;
  timestamp: string;
  edited_timestamp: string | null;
}

export interface FakeMember {
  userId: string;
  roles: string[];
  joinedAt: string;
  nick: string | null;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: Map<string, RawRole>;
  members: Map<string, FakeMember>;
  channelIds: string[];
}

export const ChannelTypes = {
  GuildText: 0,
  DM: 1,
  GuildCategory: 4,
  PublicThread: 11,
  PrivateThread: 12,
} as const;

export const MessageFlags = {
  SuppressEmbeds: 1 << 2,
  HasThread: 1 << 5,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
} as const;

/** A realistic snowflake (Discord epoch, 17–19 digits) from discord.js's SnowflakeUtil. */
export function newSnowflake(): string {
  return SnowflakeUtil.generate().toString();
}

/** Permissions @everyone has in the default guild. */
export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;

/** Extra permissions of the bot's managed role. */
export const BOT_ROLE_PERMISSIONS =
  EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageThreads | PermissionFlagsBits.ManageMessages;

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n);

export function makeUser(username: string, bot = false): RawUser {
  const user: RawUser = {
    id: newSnowflake(),
    username,
    global_name: bot ? null : username[0]!.toUpperCase() + username.slice(1),
    discriminator: bot ? '0001' : '0',
    avatar: null,
    public_flags: 0,
    flags: 0,
  };
  if (bot) user.bot = true;
  return user;
}

export function makeRole(id: string, name: string, permissions: bigint, position: number, extra: Json = {}): RawRole {
  return {
    id,
    name,
    permissions: permissions.toString(),
    position,
    managed: false,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    mentionable: false,
    flags: 0,
    ...extra,
  };
}

export function makeTextChannel(guildId: string, name: string, position: number): RawChannel {
  return {
    id: newSnowflake(),
    type: ChannelTypes.GuildText,
    guild_id: guildId,
    name,
    position,
    parent_id: null,
    topic: null,
    nsfw: false,
    rate_limit_per_user: 0,
    last_message_id: null,
    permission_overwrites: [],
    flags: 0,
  };
}

export function makeThread(args: {
  id: string;
  guildId: string;
  parentId: string;
  ownerId: string;
  name: string;
  type: number;
  autoArchiveDuration: number;
}): RawChannel {
  const now = new Date().toISOString();
  return {
    id: args.id,
    type: args.type,
    guild_id: args.guildId,
    parent_id: args.parentId,
    owner_id: args.ownerId,
    name: args.name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0,
    applied_tags: [],
    thread_metadata: {
      archived: false,
      auto_archive_duration: args.autoArchiveDuration,
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
      invitable: args.type === ChannelTypes.PrivateThread ? true : undefined,
    },
  };
}

export function memberJson(member: FakeMember, user: RawUser, permissions?: bigint): Json {
  const json: Json = {
    user,
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: member.roles,
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
  if (permissions !== undefined) json.permissions = permissions.toString();
  return json;
}

/** A complete message object with every field discord.js reads. */
export function makeMessage(fields: {
  channelId: string;
  guildId?: string;
  author: RawUser;
  content?: string;
  embeds?: Json[];
  components?: Json[];
  attachments?: Json[];
  mentions?: RawUser[];
  flags?: number;
  type?: number;
  extra?: Json;
}): RawMessage {
  const message: RawMessage = {
    id: newSnowflake(),
    channel_id: fields.channelId,
    author: fields.author,
    content: fields.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: fields.mentions ?? [],
    mention_roles: [],
    mention_channels: [],
    attachments: fields.attachments ?? [],
    embeds: fields.embeds ?? [],
    components: fields.components ?? [],
    reactions: [],
    pinned: false,
    type: fields.type ?? 0,
    flags: fields.flags ?? 0,
    ...fields.extra,
  };
  if (fields.guildId) message.guild_id = fields.guildId;
  return message;
}

/** Effective permissions of a member in a channel (threads use their parent), Discord's algorithm. */
export function computePermissions(
  guild: FakeGuild,
  userId: string,
  channel: RawChannel | undefined,
  parentOf: (id: string) => RawChannel | undefined,
): bigint {
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  const member = guild.members.get(userId);
  if (!member) return 0n;
  let perms = BigInt(guild.roles.get(guild.id)?.permissions ?? '0');
  for (const roleId of member.roles) perms |= BigInt(guild.roles.get(roleId)?.permissions ?? '0');
  if ((perms & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS;
  let base = channel;
  if (channel && (channel.type === ChannelTypes.PublicThread || channel.type === ChannelTypes.PrivateThread)) {
    base = channel.parent_id ? parentOf(channel.parent_id) : undefined;
  }
  const overwrites = base?.permission_overwrites ?? [];
  const apply = (o: RawOverwrite | undefined): void => {
    if (!o) return;
    perms &= ~BigInt(o.deny);
    perms |= BigInt(o.allow);
  };
  apply(overwrites.find((o) => o.type === 0 && o.id === guild.id));
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && o.id !== guild.id && member.roles.includes(o.id)) {
      roleAllow |= BigInt(o.allow);
      roleDeny |= BigInt(o.deny);
    }
  }
  perms &= ~roleDeny;
  perms |= roleAllow;
  apply(overwrites.find((o) => o.type === 1 && o.id === userId));
  return perms;
}

/** Parses `<@id>` / `<@!id>` user mentions out of message content. */
export function mentionedUserIds(content: string): string[] {
  const ids = new Set<string>();
  for (const match of content.matchAll(/<@!?(\d{17,20})>/g)) ids.add(match[1]!);
  return [...ids];
}
