#!/usr/bin/env node
import { createLogger } from '../app/logger.js';
import { allCommands } from '../../commands/index.js';
import { createBot } from './create-bot.js';
import { loadBotConfigOrExit } from './load-bot-config.js';
import { runBot } from './run-bot.js';
import type { Paperbot } from '../app/paperbot.js';
import { lockStateDir, StateLockedError, type StateDirLock } from '../state/lock-state-dir.js';
import { openStateStores } from '../state/open-state-stores.js';
import type { StateStores } from '../state/state-stores.js';

export const MISSING_TOKEN_HELP = `DISCORD_TOKEN is not set, so the Discord bot cannot start.

To set the bot up (the README's "Setting it up" section has the details):
  1. Open https://discord.com/developers/applications and create (or pick) an application.
  2. "Bot" → "Reset Token", copy it into a .env file in the project folder:  DISCORD_TOKEN=your-token
  3. "Bot" → "Privileged Gateway Intents" → turn on "Message Content Intent" (for thread follow-ups).
  4. Invite the bot: "OAuth2" → "URL Generator" → scopes bot + applications.commands, permissions
     View Channels, Send Messages, Send Messages in Threads, Create Public Threads, Embed Links,
     Read Message History (integer 309237730304).
  5. Put DISCORD_GUILD_ID=<your server id> in .env (instant command updates), then register the
     slash commands once:  npm run deploy-commands
  6. npm start

No Discord needed to try it: npx paperbot ask "How does VideoMAE V2 scale video masked autoencoders?"`;

async function main(): Promise<void> {
  const config = loadBotConfigOrExit(MISSING_TOKEN_HELP);
  const logger = createLogger({ level: config.logLevel, name: 'paperbot-bot' });
  let paperbot: Paperbot | undefined;
  let state: StateStores | undefined;
  let lock: StateDirLock | undefined;
  // What failed, for the fatal log line (locking the state, loading the papers, opening the state database, connecting).
  let step = 'lock the bot state';
  try {
    // First, so a second bot on the same data directory stops at once, before loading anything.
    lock = await lockStateDir(config.stateDir);
    step = 'load the paper index';
    // Loaded only now: the help above needs none of the core.
    const { createPaperbot } = await import('../app/create-paperbot.js');
    paperbot = await createPaperbot(config, { logger });
    step = 'open the state database';
    state = await openStateStores(config);
    step = 'set up the Discord client';
    const bot = createBot({ config, paperbot, state, logger, commands: allCommands() });
    step = 'connect to Discord';
    const opened = { paperbot, state, lock };
    await runBot(bot, {
      logger,
      cleanup: async () => {
        await opened.paperbot.close();
        await opened.state.close();
        await opened.lock.release();
      },
    });
  } catch (error) {
    logger.fatal({ err: error, event: 'start-failed', step }, `the bot could not start: failed to ${step}`);
    if (error instanceof StateLockedError) console.error(`paperbot-bot could not start: ${error.message}`);
    else if (step === 'connect to Discord' && error instanceof Error && /token/i.test(error.message)) console.error('Discord rejected the token: check DISCORD_TOKEN in .env.');
    else console.error(`paperbot-bot could not ${step}: ${error instanceof Error ? error.message : String(error)}`);
    await paperbot?.close().catch(() => undefined);
    await state?.close().catch(() => undefined);
    await lock?.release().catch(() => undefined);
    logger.flush?.();
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 200).unref();
  }
}

void main();
