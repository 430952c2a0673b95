import { DiscordAPIError } from 'discord.js';
import { UserFacingError } from '../errors.js';

/** Exit status when the configured environment cannot be used (no or unreachable database, paper store): as the CLI's configuration errors. */
export const EXIT_CONFIGURATION = 2;
const HTTP_UNAUTHORIZED = 401;

function isTokenRejected(error: unknown, step: string): boolean {
  if (error instanceof DiscordAPIError) return error.status === HTTP_UNAUTHORIZED;
  return step === 'connect to Discord' && error instanceof Error && /token/i.test(error.message);
}

/** The one stderr line for a failed start of `program` at `step`, and the exit status. */
export function describeStartFailure(program: string, error: unknown, step: string): { line: string; code: number } {
  if (error instanceof UserFacingError) return { line: `${program} could not start: ${error.message}`, code: error.category === 'configuration' ? EXIT_CONFIGURATION : 1 };
  if (isTokenRejected(error, step)) return { line: 'Discord rejected the token: check DISCORD_TOKEN in .env.', code: 1 };
  return { line: `${program} could not ${step}: ${error instanceof Error ? error.message : String(error)}`, code: 1 };
}
