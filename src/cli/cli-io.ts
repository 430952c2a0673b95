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
  /** Close `resource` when the command is done (its database connections would keep the process alive). */
  closeWhenDone(resource: { close(): Promise<void> }): void;
  /** Close what the command opened (each once; a failure to close is ignored: the command's result stands). */
  closeOpened(): Promise<void>;
}

/** A writer that ends every text with a line break. */
export function lineWriter(stream: NodeJS.WritableStream): (text: string) => void {
  return (text) => {
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
  };
}

export function createCliContext(config: Config, io: CliIo, env: NodeJS.ProcessEnv, feedTimers?: FeedTimers): CliContext {
  const opened: { close(): Promise<void> }[] = [];
  return {
    config,
    env,
    io,
    feedTimers,
    out: lineWriter(io.stdout),
    err: lineWriter(io.stderr),
    closeWhenDone: (resource) => void opened.push(resource),
    closeOpened: async () => {
      await Promise.all(opened.splice(0).map((resource) => resource.close().catch(() => undefined)));
    },
  };
}
