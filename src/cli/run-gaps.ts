import type { Config } from '../config.js';
import { createGapLog } from '../gaps/gap-log.js';
import { gapReportLines, gapReportToJson } from '../gaps/format-gap-report.js';
import { parseSince } from '../feeds/parse-since.js';
import { openExistingStateStores, stateLocation } from '../state/open-state-stores.js';

export const DEFAULT_GAPS_SINCE = '30d';

/** `paperbot gaps [--since 30d] [--json] [--purge]`: the most-asked topics the corpus does not cover, or delete the log. */
export async function runGaps(
  config: Config,
  options: { since: string; json: boolean; purge: boolean; now: number; out: (text: string) => void; err: (text: string) => void },
): Promise<void> {
  const since = parseSince(options.since, options.now).getTime();
  const state = await openExistingStateStores(config);
  if (!state) {
    if (options.json) options.out(JSON.stringify(gapReportToJson({ since, total: 0, topics: [] })));
    options.err(`No coverage gaps yet: the bot's state (${stateLocation(config)}) does not exist (it is created when the bot first runs).`);
    return;
  }
  try {
    const log = createGapLog({ store: state.gaps, retentionDays: config.gaps.retentionDays, salt: config.gaps.salt, now: () => options.now });
    if (options.purge) {
      const deleted = await log.purge();
      options.err(`Deleted ${deleted} coverage-gap entr${deleted === 1 ? 'y' : 'ies'}.`);
      return;
    }
    const report = await log.report({ since });
    if (options.json) options.out(JSON.stringify(gapReportToJson(report)));
    else options.out(gapReportLines(report).join('\n'));
  } finally {
    await state.close();
  }
}
