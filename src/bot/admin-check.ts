import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import { UserFacingError } from '../errors.js';

/** The parts of an interaction the admin check reads. */
export interface PermissionSource {
  inGuild(): boolean;
  memberPermissions: Readonly<PermissionsBitField> | null;
}

/** True when the member may manage the server (Manage Server or Administrator). */
export function isGuildAdmin(source: PermissionSource): boolean {
  if (!source.inGuild() || !source.memberPermissions) return false;
  return source.memberPermissions.has(PermissionFlagsBits.ManageGuild, true);
}

/**
 * The run-time check behind `default_member_permissions`: server admins can change who sees a
 * command, so the bot checks again.
 */
export function assertGuildAdmin(source: PermissionSource): void {
  if (!source.inGuild()) throw new UserFacingError('guild-only', 'This command only works in a server.');
  if (!isGuildAdmin(source)) throw new UserFacingError('not-admin', 'Only members with the Manage Server permission can use this command.');
}
