import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { maskSecrets } from '../text/mask-secrets.js';

export type Logger = PinoLogger;

/** Keys whose values must never reach a log line. */
const REDACT_PATHS = [
  'token', '*.token', 'apiKey', '*.apiKey', 'authorization', '*.authorization', 'headers.authorization',
  'config.model.apiKey', 'config.discord.token', 'OPENAI_API_KEY', 'DISCORD_TOKEN', '*.OPENAI_API_KEY', '*.DISCORD_TOKEN',
];

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = maskDeep(v, depth + 1);
  return out;
}

/**
 * Structured JSON logs (pino). The CLI logs errors to stderr unless LOG_LEVEL asks for more (warn, debug…);
 * the bot logs to stdout at LOG_LEVEL (default info). Known secret keys are redacted and secrets
 * inside strings (error messages, URLs) are masked.
 */
export function createLogger(options: { level: string; name?: string; destination?: DestinationStream | NodeJS.WritableStream }): Logger {
  return pino(
    {
      name: options.name ?? 'paperbot',
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      serializers: { err: (error: Error) => maskDeep(pino.stdSerializers.err(error)) },
      formatters: { log: (object) => maskDeep(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskSecrets(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    (options.destination as DestinationStream | undefined) ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** A logger that drops everything (tests, benchmarks). */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
