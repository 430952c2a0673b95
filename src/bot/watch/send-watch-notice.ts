import type { Client } from 'discord.js';
import type { SendWatchNotice } from './notify-watches.js';

/** Sends watch notices through whatever client is connected now: into the channel, or as a DM to the user. */
export function watchNoticeSender(currentClient: () => Client | undefined): SendWatchNotice {
  return async (watch, message) => {
    const client = currentClient();
    if (!client) throw new Error('The bot is not connected.');
    if (watch.scope === 'user') {
      await (await client.users.fetch(watch.targetId)).send(message);
      return;
    }
    // allowUnknownGuild: under sharding, the channel's server may be another shard's.
    const channel = await client.channels.fetch(watch.targetId, { allowUnknownGuild: true });
    if (!channel?.isSendable()) throw new Error(`Watch channel ${watch.targetId} was not found or is not a text channel.`);
    await channel.send(message);
  };
}
