#!/usr/bin/env node
// `npm run start:sharded`: one bot process per Discord shard (discord.js's ShardingManager), all on
// the same DATABASE_URL. `npm start` stays the single-process bot.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, type Logger } from '../app/logger.js';
import { assertPaperStoreAvailable } from '../app/paper-store.js';
import { openStateStores } from '../state/open-state-stores.js';
import { systemClock } from './clock.js';
import { describeStartFailure } from './describe-start-failure.js';
import { loadBotConfigOrExit, type BotConfig } from './load-bot-config.js';
import { planShards } from './plan-shards.js';
import { createShardSupervisor } from './shard-supervisor.js';
import { ShardingNeedsDatabaseError } from './sharding-needs-database.js';
import { MISSING_TOKEN_HELP } from './start-bot-help.js';

/** The bot's entry point next to this one (`.ts` under tsx, `.js` in dist/). */
const SHARD_FILE = (() => {
  const self = fileURLToPath(import.meta.url);
  return path.join(path.dirname(self), `start-bot${path.extname(self)}`);
})();

/** Everything the shards need, checked once here, so a bad setup is one clear line instead of shards crash-looping. */
async function checkSetup(config: BotConfig, logger: Logger): Promise<void> {
  if (!config.database) throw new ShardingNeedsDatabaseError();
  // Opening the state migrates it once, before any shard starts.
  const state = await openStateStores(config, { logger });
  await state.close();
  await assertPaperStoreAvailable(config);
}

async function main(): Promise<void> {
  const config = loadBotConfigOrExit(MISSING_TOKEN_HELP);
  const logger = createLogger({ level: config.logLevel, name: 'paperbot-shards' });
  let step = 'check the setup';
  try {
    await checkSetup(config, logger);
    step = 'ask Discord for the shard count';
    const plan = await planShards(config);
    const supervisor = createShardSupervisor({ file: SHARD_FILE, execArgv: process.execArgv, token: config.discord.token, plan, logger, clock: systemClock });
    // Shards may all be down at once (waiting to respawn): keep this process alive until stopped.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      logger.info({ event: 'shutdown', signal }, 'stopping every shard');
      void supervisor.stop().then(() => {
        clearInterval(keepAlive);
        logger.flush?.();
        process.exit(0);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    step = 'start the shards';
    await supervisor.start();
  } catch (error) {
    logger.fatal({ err: error, event: 'start-failed', step }, `the shards could not start: failed to ${step}`);
    const failure = describeStartFailure('paperbot-shards', error, step);
    console.error(failure.line);
    logger.flush?.();
    process.exitCode = failure.code;
    setTimeout(() => process.exit(failure.code), 200).unref();
  }
}

void main();
