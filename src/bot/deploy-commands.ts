#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { REST, Routes, type APIApplication, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { allCommands } from '../../commands/index.js';
import { commandDefinitions } from './command-registry.js';
import { inviteUrl } from './invite-url.js';
import { loadBotConfigOrExit } from './load-bot-config.js';

export interface DeployResult {
  applicationId: string;
  scope: 'guild' | 'global';
  count: number;
}

/**
 * Register every slash command (PUT, replacing the set): to one guild when `guildId` is given
 * (instant), else globally (may take up to an hour to appear). The application id comes from
 * GET /applications/@me.
 */
export async function deployCommands(options: {
  token: string;
  apiBase?: string;
  guildId?: string;
  commands?: RESTPostAPIChatInputApplicationCommandsJSONBody[];
}): Promise<DeployResult> {
  const rest = new REST(options.apiBase ? { api: options.apiBase } : {}).setToken(options.token);
  const body = options.commands ?? commandDefinitions(allCommands());
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  const route = options.guildId ? Routes.applicationGuildCommands(application.id, options.guildId) : Routes.applicationCommands(application.id);
  const registered = (await rest.put(route, { body })) as unknown[];
  return { applicationId: application.id, scope: options.guildId ? 'guild' : 'global', count: registered.length };
}

async function main(): Promise<void> {
  const config = loadBotConfigOrExit(
    'DISCORD_TOKEN is not set. Get one at https://discord.com/developers/applications → your application → Bot → Reset Token, and put DISCORD_TOKEN=… in .env.',
  );
  try {
    const result = await deployCommands({ token: config.discord.token, apiBase: config.discord.apiBase, guildId: config.discord.guildId });
    console.log(
      result.scope === 'guild'
        ? `Registered ${result.count} commands in server ${config.discord.guildId} (application ${result.applicationId}). They are available now.`
        : `Registered ${result.count} commands globally (application ${result.applicationId}). They can take up to an hour to appear; set DISCORD_GUILD_ID for instant updates while testing.`,
    );
    console.log(`Invite the bot to a server (if not done yet): ${inviteUrl(result.applicationId)}`);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 401) console.error('Discord rejected the token (401). Check DISCORD_TOKEN in .env.');
    else if (status === 403) console.error('Forbidden (403): is the bot in that server (DISCORD_GUILD_ID), invited with the applications.commands scope?');
    else console.error(`Could not register the commands: ${(error as Error).message}`);
    process.exit(1);
  }
}

/** Run only as a program (`npm run deploy-commands`), not when imported by tests. */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) void main();
