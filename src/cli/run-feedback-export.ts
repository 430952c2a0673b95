import { existsSync } from 'node:fs';
import { exportFeedback } from '../bot/feedback-store.js';
import { openStateDatabase, stateDatabasePath } from '../bot/state/open-state-database.js';
import type { Config } from '../config.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { countOf } from './format-output.js';

/** `paperbot feedback --export [--out file]`: the bot's 👍/👎 votes as JSON lines, for review. */
export async function runFeedbackExport(
  config: Config,
  options: { outFile: string | undefined; out: (text: string) => void; err: (text: string) => void },
): Promise<void> {
  const file = stateDatabasePath(config.stateDir);
  if (!existsSync(file)) {
    // With --out, still write the (empty) export, so scripts that read the file find it.
    if (options.outFile) await writeFileAtomic(options.outFile, '');
    options.err(
      `No feedback yet: the bot's database ${file} does not exist (it is created when the bot first runs)${options.outFile ? `; wrote an empty ${options.outFile}` : ''}.`,
    );
    return;
  }
  const db = openStateDatabase(file);
  try {
    const rows = exportFeedback(db);
    const text = rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length ? '\n' : '');
    if (options.outFile) {
      await writeFileAtomic(options.outFile, text);
      options.err(`Wrote ${countOf(rows.length, 'vote')} to ${options.outFile}.`);
    } else {
      if (text) options.out(text.trimEnd());
      options.err(`${countOf(rows.length, 'vote')}.`);
    }
  } finally {
    db.close();
  }
}
