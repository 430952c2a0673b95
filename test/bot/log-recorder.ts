import { pino, type Logger } from 'pino';

export interface RecordedLog {
  level: number;
  event?: string;
  msg?: string;
  [key: string]: unknown;
}

/**
 * A pino logger whose lines are kept in memory, so a test can wait for what the code reports
 * (`digest-posted`, `digest-retry-scheduled`…) instead of sleeping.
 */
export class LogRecorder {
  readonly lines: RecordedLog[] = [];
  readonly logger: Logger;
  private readonly waiters = new Set<() => void>();

  constructor(level = 'debug') {
    this.logger = pino({ level }, {
      write: (line: string) => {
        this.lines.push(JSON.parse(line) as RecordedLog);
        for (const waiter of [...this.waiters]) waiter();
      },
    });
  }

  count(event: string): number {
    return this.lines.filter((line) => line.event === event).length;
  }

  /** Resolves once `count` lines with this event were logged (counting the ones already there). */
  waitFor(event: string, count = 1): Promise<RecordedLog> {
    return new Promise((resolve) => {
      const check = () => {
        const matching = this.lines.filter((line) => line.event === event);
        if (matching.length < count) return;
        this.waiters.delete(check);
        resolve(matching[count - 1]!);
      };
      this.waiters.add(check);
      check();
    });
  }
}
