#!/usr/bin/env node
import { createLogger } from '../app/logger.js';
import { allCommands } from '../../commands/index.js';
import { createBot } from './create-bot.js';
import { describeStartFailure } from './describe-start-failure.js';
import { loadBotConfigOrExit, type BotConfig } from './load-bot-config.js';
import { ShardingNeedsDatabaseError } from './sharding-needs-database.js';
import { MISSING_TOKEN_HELP } from './start-bot-help.js';
import { runBot } from './run-bot.js';
import type { Paperbot } from '../app/paperbot.js';
import type { StateDirLock } from '../state/lock-state-dir.js';
import { lockState, openStateStores } from '../state/open-state-stores.js';
import type { StateStores } from '../state/state-stores.js';

/** A shard whose ShardingManager went away (its IPC channel closed) shuts down like on SIGTERM. */
function stopWithManager(config: BotConfig): void {
  if (config.sharding.shard && process.send) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

async function main(): Promise<void> {
  const config = loadBotConfigOrExit(MISSING_TOKEN_HELP);
  const baseLogger = createLogger({ level: config.logLevel, name: 'paperbot-bot' });
  const logger = config.sharding.shard ? baseLogger.child({ shardId: config.sharding.shard.id }) : baseLogger;
  let paperbot: Paperbot | undefined;
  let state: StateStores | undefined;
  let lock: StateDirLock | undefined;
  // What failed, for the fatal log line (locking the state, opening the state database, loading the papers, connecting).
  let step = 'lock the bot state';
  try {
    if (config.sharding.shard && !config.database) throw new ShardingNeedsDatabaseError();
    // First, so a second bot on the same embedded state stops at once (a database is shared: no lock).
    lock = await lockState(config);
    step = 'open the state database';
    // Before the papers, so an unreachable database is reported at once.
    state = await openStateStores(config, { logger });
    step = 'load the paper index';
    // Loaded only now: the help above needs none of the core.
    const { createPaperbot } = await import('../app/create-paperbot.js');
    paperbot = await createPaperbot(config, { logger });
    step = 'set up the Discord client';
    const bot = createBot({ config, paperbot, state, logger, commands: allCommands() });
    step = 'connect to Discord';
    const opened = { paperbot, state, lock };
    stopWithManager(config);
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
    const failure = describeStartFailure('paperbot-bot', error, step);
    console.error(failure.line);
    await paperbot?.close().catch(() => undefined);
    await state?.close().catch(() => undefined);
    await lock?.release().catch(() => undefined);
    logger.flush?.();
    process.exitCode = failure.code;
    setTimeout(() => process.exit(failure.code), 200).unref();
  }
}

void main();
