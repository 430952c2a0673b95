import type { Logger } from '../app/logger.js';
import { isUserFacingError } from '../errors.js';
import type { BotContext } from './bot-context.js';
import { runPreconditions, type PreconditionName, type Undo } from './preconditions.js';

/** One request from a user — a slash command or a message in a bot thread — as the bot handles it. */
export interface BotRequest<I> {
  userId: string;
  logger: Logger;
  preconditions?: readonly PreconditionName[];
  /** Reads and checks the input once (throws `UserFacingError`), before any precondition takes anything. */
  parse(): I | Promise<I>;
  run(input: I): Promise<void>;
  /** Tell the user about a failure: the `UserFacingError` message, or the generic apology. */
  answerError(error: unknown): Promise<unknown>;
}

/**
 * The one path every request takes: parse, preconditions, run; any error undoes what the
 * preconditions took (a failed question does not use up the cooldown), is logged, and is answered.
 * Never throws. True when the request ran to the end.
 */
export async function runRequest<I>(ctx: BotContext, request: BotRequest<I>): Promise<boolean> {
  let undo: Undo = async () => undefined;
  try {
    const input = await request.parse();
    undo = await runPreconditions(request.preconditions ?? [], ctx, request.userId);
    await request.run(input);
    return true;
  } catch (error) {
    await undo();
    if (isUserFacingError(error)) request.logger.info({ event: 'request-refused', code: error.code }, error.message);
    else request.logger.error({ err: error, event: 'request-failed' }, 'request failed');
    await request.answerError(error).catch((replyError: unknown) => request.logger.warn({ err: replyError, event: 'error-reply-failed' }, 'could not tell the user about an error'));
    return false;
  }
}
