import type { Config } from '../config.js';
import { openExistingStateStores, stateLocation } from '../state/open-state-stores.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { countOf } from './format-output.js';
import { feedbackToEval } from '../feedback/feedback-to-eval.js';
import { formatWeeklyVotes, weeklyVotes } from '../feedback/vote-stats.js';

/**
 * `paperbot feedback --export [--as-eval] [--out file]`: the bot's 👍/👎 votes as JSON lines, for review; with
 * `--as-eval`, the 👎 answers whose voters named the paper that should have answered, as eval questions.
 */
export async function runFeedbackExport(
  config: Config,
  options: { outFile: string | undefined; asEval?: boolean; out: (text: string) => void; err: (text: string) => void },
): Promise<void> {
  const state = await openExistingStateStores(config);
  if (!state) {
    // With --out, still write the (empty) export, so scripts that read the file find it.
    if (options.outFile) await writeFileAtomic(options.outFile, '');
    options.err(
      `No feedback yet: the bot's state (${stateLocation(config)}) does not exist (it is created when the bot first runs)${options.outFile ? `; wrote an empty ${options.outFile}` : ''}.`,
    );
    return;
  }
  try {
    const rows = options.asEval ? feedbackToEval(await state.feedback.exportExpectedPapers()) : await state.feedback.exportVotes();
    const text = rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length ? '\n' : '');
    const unit = options.asEval ? 'eval question' : 'vote';
    if (options.outFile) {
      await writeFileAtomic(options.outFile, text);
      options.err(`Wrote ${countOf(rows.length, unit)} to ${options.outFile}.`);
    } else {
      if (text) options.out(text.trimEnd());
      options.err(`${countOf(rows.length, unit)}.`);
    }
  } finally {
    await state.close();
  }
}

/** `paperbot feedback --stats`: votes per command and ISO week. */
export async function runFeedbackStats(config: Config, options: { out: (text: string) => void; err: (text: string) => void }): Promise<void> {
  const state = await openExistingStateStores(config);
  if (!state) {
    options.err(`No feedback yet: the bot's state (${stateLocation(config)}) does not exist (it is created when the bot first runs).`);
    return;
  }
  try {
    options.out(formatWeeklyVotes(weeklyVotes(await state.feedback.voteStats())));
  } finally {
    await state.close();
  }
}
