import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;

/** Keys whose values must never reach a log line. */
const REDACT_PATHS = [
  'token', '*.token', 'apiKey', '*.apiKey', 'authorization', '*.authorization', 'headers.authorization',
  'config.model.apiKey', 'config.discord.token', 'OPENAI_API_KEY', 'DISCORD_TOKEN', '*.OPENAI_API_KEY', '*.DISCORD_TOKEN',
];

/**
 * Structured JSON logs (pino). The CLI logs to stderr at `warn` unless LOG_LEVEL says otherwise;
 * the bot logs to stdout at LOG_LEVEL (default info).
 */
export function createLogger(options: { level: string; name?: string; destination?: DestinationStream | NodeJS.WritableStream }): Logger {
  return pino(
    {
      name: options.name ?? 'paperbot',
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    (options.destination as DestinationStream | undefined) ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** A logger that drops everything (tests, benchmarks). */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
