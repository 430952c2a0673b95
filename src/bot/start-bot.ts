#!/usr/bin/env node
import { createLogger } from '../app/logger.js';
import { createBot } from './create-bot.js';
import { loadBotConfigOrExit } from './load-bot-config.js';
import { runBot } from './run-bot.js';
import { openStateDatabase, stateDatabasePath } from './state/open-state-database.js';

export const MISSING_TOKEN_HELP = `DISCORD_TOKEN is not set, so the Discord bot cannot start.

To get a token:
  1. Open https://discord.com/developers/applications and create (or pick) an application.
  2. Go to "Bot" → "Reset Token" and copy the token.
  3. Put it in a .env file in the project folder:  DISCORD_TOKEN=your-token
     (optionally DISCORD_GUILD_ID=<your server id> for instant command updates)
  4. Register the slash commands once:  npm run deploy-commands
  5. Invite the bot: "OAuth2" → "URL Generator" → scopes bot + applications.commands.

No Discord needed to try it: npx paperbot ask "How does VideoMAE V2 scale video masked autoencoders?"`;

async function main(): Promise<void> {
  const config = loadBotConfigOrExit(MISSING_TOKEN_HELP);
  const logger = createLogger({ level: config.logLevel, name: 'paperbot-bot' });
  // Loaded only now: the help above needs none of the core.
  const { createPaperbot } = await import('../app/create-paperbot.js');
  const paperbot = await createPaperbot(config, { logger });
  const db = openStateDatabase(stateDatabasePath(config.stateDir));
  const bot = createBot({ config, paperbot, db, logger });
  try {
    await runBot(bot, {
      logger,
      cleanup: async () => {
        await paperbot.close();
        db.close();
      },
    });
  } catch (error) {
    logger.fatal({ err: error, event: 'start-failed' }, 'the bot could not start');
    if (error instanceof Error && /token/i.test(error.message)) console.error('Discord rejected the token: check DISCORD_TOKEN in .env.');
    await paperbot.close().catch(() => undefined);
    db.close();
    logger.flush?.();
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 200).unref();
  }
}

void main();
