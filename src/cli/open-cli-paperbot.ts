import { createPaperbot } from '../app/create-paperbot.js';
import { createLogger } from '../app/logger.js';
import type { Paperbot } from '../app/paperbot.js';
import type { CliContext } from './cli-io.js';
import { countOf } from './format-output.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';

/**
 * Build the core for a CLI command: warnings and index-building progress go to stderr (stdout
 * stays clean for --json), logs only at error unless LOG_LEVEL says otherwise.
 */
export async function openCliPaperbot(ctx: CliContext): Promise<Paperbot> {
  const { config, io } = ctx;
  // At the default level only errors are logged: a handled fallback (model unreachable) already shows its
  // notice in the answer, so its warning would only add a JSON line to stderr. LOG_LEVEL=warn|debug shows it.
  const logger = createLogger({ level: config.logLevel === 'info' ? 'error' : config.logLevel, destination: io.stderr });
  let progress: ProgressReporter | undefined;
  let phase = '';
  const started = Date.now();
  let total = 0;
  const bot = await createPaperbot(config, {
    logger,
    onWarning: (message) => ctx.err(`paperbot: ${message}`),
    onProgress: ({ phase: now, done, total: all }) => {
      if (now !== phase) {
        progress?.stop();
        phase = now;
        progress = createProgressReporter(now === 'embedding' ? 'Building the search index: embedding papers' : 'Building the search index: writing', io.stderr);
      }
      total = all;
      progress?.update(done, all);
    },
  });
  progress?.stop(`Indexed ${countOf(total, 'paper')} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  ctx.closeWhenDone(bot);
  return bot;
}
