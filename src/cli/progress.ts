import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number): void;
  stop(message?: string): void;
}

/**
 * Progress on stderr: a live bar on a terminal, a few plain lines otherwise (logs, CI, pipes).
 * Never writes to stdout, so `--json` output stays clean.
 */
export function createProgressReporter(label: string, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): ProgressReporter {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: stream as NodeJS.WriteStream, format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta}s`, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else {
          bar.setTotal(total);
          bar.update(done);
        }
      },
      stop(message) {
        if (started) bar.stop();
        if (message) stream.write(`${message}\n`);
      },
    };
  }
  let lastQuarter = -1;
  return {
    update(done, total) {
      const quarter = total === 0 ? 4 : Math.floor((done / total) * 4);
      if (quarter !== lastQuarter) {
        lastQuarter = quarter;
        stream.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop(message) {
      if (message) stream.write(`${message}\n`);
    },
  };
}
