import { PermissionFlagsBits } from 'discord.js';
import { BOT_ROLE_PERMISSIONS, EVERYONE_PERMISSIONS, makeRole, makeTextChannel, newSnowflake, type FakeGuild, type RawChannel } from './fake-world.js';

export interface BuiltGuild {
  guild: FakeGuild;
  /** #papers, then #digest. */
  channels: [RawChannel, RawChannel];
  adminRole: string;
  botRole: string;
}

/**
 * A guild as the fake's default one: roles @everyone (id = guild id), "Admin" (Administrator) and the
 * bot's managed role; text channels #papers and #digest; members admin (Admin role, owner), user and
 * the bot (bot role).
 */
export function makeGuild(id: string, name: string, users: { admin: string; normal: string; bot: string }): BuiltGuild {
  const adminRole = newSnowflake();
  const botRole = newSnowflake();
  const guild: FakeGuild = {
    id,
    name,
    ownerId: users.admin,
    roles: new Map([
      [id, makeRole(id, '@everyone', EVERYONE_PERMISSIONS, 0)],
      [adminRole, makeRole(adminRole, 'Admin', PermissionFlagsBits.Administrator, 2)],
      [botRole, makeRole(botRole, 'paperbot', BOT_ROLE_PERMISSIONS, 1, { managed: true, tags: { bot_id: users.bot } })],
    ]),
    members: new Map(),
    channelIds: [],
  };
  const joinedAt = new Date(Date.now() - 86_400_000).toISOString();
  guild.members.set(users.admin, { userId: users.admin, roles: [adminRole], joinedAt, nick: null });
  guild.members.set(users.normal, { userId: users.normal, roles: [], joinedAt, nick: null });
  guild.members.set(users.bot, { userId: users.bot, roles: [botRole], joinedAt, nick: null });
  const channels: [RawChannel, RawChannel] = [makeTextChannel(id, 'papers', 0), makeTextChannel(id, 'digest', 1)];
  guild.channelIds.push(...channels.map((c) => c.id));
  return { guild, channels, adminRole, botRole };
}
