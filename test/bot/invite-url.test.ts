import { describe, expect, it } from 'vitest';
import { BOT_PERMISSIONS, inviteUrl } from '../../src/bot/invite-url.js';

describe('inviteUrl', () => {
  it('asks for the bot and applications.commands scopes and exactly the permissions the README lists', () => {
    const url = new URL(inviteUrl('123456789012345678'));
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('123456789012345678');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('permissions')).toBe('309237730304');
    expect(BOT_PERMISSIONS.toArray().sort()).toEqual(
      ['CreatePublicThreads', 'EmbedLinks', 'ReadMessageHistory', 'SendMessages', 'SendMessagesInThreads', 'ViewChannel'].sort(),
    );
  });
});
