import { CommanderError } from 'commander';
import { createLogger } from '../app/logger.js';
import { ConfigError, type Config } from '../config.js';
import type { FeedTimers } from '../feeds/feed-timers.js';
import { maskSecrets } from '../text/mask-secrets.js';
import { buildProgram } from './build-program.js';
import { createCliContext, type CliIo } from './cli-io.js';
import { describeCliError, EXIT_FAILURE, EXIT_USAGE, exitCodeFor } from './describe-cli-error.js';

export interface RunCliOptions {
  io: CliIo;
  /** Reads the configuration (the real CLI: `.env` + environment); throws ConfigError naming a bad variable. */
  loadConfig: () => Config;
  /** The environment the configuration is read from (`paperbot fetch` reads its feed variables there). */
  env: NodeJS.ProcessEnv;
  /** Feed request timers of `paperbot fetch`: politeness waits and timeouts (default: real time). */
  feedTimers?: FeedTimers;
}

/**
 * Run one `paperbot` command line (`args` without `node` and the script) and return its exit status:
 * 0, 1 for errors the user can act on (one line on stderr), 2 for usage and configuration errors.
 * Never exits the process and never writes outside `options.io`.
 */
export async function runCli(args: readonly string[], options: RunCliOptions): Promise<number> {
  const { io } = options;
  const fail = (message: string) => io.stderr.write(`paperbot: ${maskSecrets(message)}\n`);
  let config: Config;
  try {
    config = options.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fail(error.message);
    return EXIT_USAGE;
  }
  const ctx = createCliContext(config, io, options.env, options.feedTimers);
  try {
    await buildProgram(ctx).parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has printed its one-line message already (unknown option, missing argument…).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    const message = describeCliError(error);
    if (message !== undefined) {
      fail(message);
      return exitCodeFor(error);
    }
    // An internal fault: one line for the user; the stack only when asked for (LOG_LEVEL=debug).
    if (config.logLevel === 'debug' || config.logLevel === 'trace') {
      createLogger({ level: config.logLevel, destination: io.stderr }).error({ err: error }, 'internal error');
    }
    fail(`internal error: ${error instanceof Error ? error.message : String(error)} (set LOG_LEVEL=debug for details)`);
    return EXIT_FAILURE;
  } finally {
    // The papers' database connections, among others: the process ends now, not when they time out.
    await ctx.closeOpened();
  }
}
