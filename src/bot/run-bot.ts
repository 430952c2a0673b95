import type { Logger } from '../app/logger.js';
import type { Bot } from './create-bot.js';

/**
 * Start the bot and shut it down cleanly on SIGINT/SIGTERM: stop taking work, finish answers in
 * flight, then `cleanup` (close the core and the database), exit 0. A second signal exits at once.
 * When the bot reports a fatal error (e.g. an unrecoverable gateway close) it shuts down the same
 * way and exits 1, so a supervisor restarts it.
 */
export async function runBot(bot: Bot, options: { logger: Logger; cleanup: () => Promise<void> | void; exit?: (code: number) => void }): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const removeSignalListeners = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const finish = (code: number) => {
    removeSignalListeners();
    exit(code);
  };
  const shutdown = (exitCode: number) => {
    stopping = true;
    void (async () => {
      let code = exitCode;
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
      finish(code);
    })();
  };
  // process.on (not once): the second signal must reach us to take the "exit now" branch.
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) {
      options.logger.warn({ signal, event: 'shutdown-forced' }, 'second signal: exiting now');
      options.logger.flush?.();
      finish(1);
      return;
    }
    options.logger.info({ signal, event: 'shutdown' }, 'shutting down: finishing answers in flight');
    shutdown(0);
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  bot.onFatal((error) => {
    if (stopping) return;
    options.logger.fatal({ err: error, event: 'fatal' }, 'the bot cannot continue; shutting down (exit 1)');
    shutdown(1);
  });
  try {
    await bot.start();
  } catch (error) {
    removeSignalListeners();
    throw error;
  }
}
