import type { Config } from '../config.js';
import type { FeedTimers } from '../feeds/feed-timers.js';

/** The streams a CLI run reads and writes: the process's own, or test doubles for in-process runs. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** What every command of one CLI run shares. */
export interface CliContext {
  config: Config;
  /** The environment the configuration came from (read again only for the feed variables of `paperbot fetch`). */
  env: NodeJS.ProcessEnv;
  io: CliIo;
  /** Feed request timers of `paperbot fetch` (undefined: real time). */
  feedTimers: FeedTimers | undefined;
  /** One line (or block) of results on stdout. */
  out(text: string): void;
  /** One line of progress, warnings or errors on stderr. */
  err(text: string): void;
}

/** A writer that ends every text with a line break. */
export function lineWriter(stream: NodeJS.WritableStream): (text: string) => void {
  return (text) => {
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
  };
}

export function createCliContext(config: Config, io: CliIo, env: NodeJS.ProcessEnv, feedTimers?: FeedTimers): CliContext {
  return { config, env, io, feedTimers, out: lineWriter(io.stdout), err: lineWriter(io.stderr) };
}
