import type { Config } from '../config.js';
import { openExistingStateStores, stateLocation } from '../state/open-state-stores.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { countOf } from './format-output.js';

/** `paperbot feedback --export [--out file]`: the bot's 👍/👎 votes as JSON lines, for review. */
export async function runFeedbackExport(
  config: Config,
  options: { outFile: string | undefined; out: (text: string) => void; err: (text: string) => void },
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
    const rows = await state.feedback.exportVotes();
    const text = rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length ? '\n' : '');
    if (options.outFile) {
      await writeFileAtomic(options.outFile, text);
      options.err(`Wrote ${countOf(rows.length, 'vote')} to ${options.outFile}.`);
    } else {
      if (text) options.out(text.trimEnd());
      options.err(`${countOf(rows.length, 'vote')}.`);
    }
  } finally {
    await state.close();
  }
}
