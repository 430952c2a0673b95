import type { Logger } from '../app/logger.js';
import type { Bot } from './create-bot.js';

/**
 * Start the bot and shut it down cleanly on SIGINT/SIGTERM: stop taking work, finish answers in
 * flight, then `cleanup` (close the core and the database), exit 0. A second signal exits at once.
 */
export async function runBot(bot: Bot, options: { logger: Logger; cleanup: () => Promise<void> | void; exit?: (code: number) => void }): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    stopping = true;
    options.logger.info({ signal, event: 'shutdown' }, 'shutting down: finishing answers in flight');
    void (async () => {
      let code = 0;
      try {
        await bot.stop();
      } catch (error) {
        options.logger.error({ err: error }, 'error while stopping the bot');
        code = 1;
      }
      try {
        await options.cleanup();
      } catch (error) {
        options.logger.error({ err: error }, 'error while closing');
        code = 1;
      }
      options.logger.flush?.();
      exit(code);
    })();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await bot.start();
}
