import { UserFacingError } from '../errors.js';
import type { BotContext } from './bot-context.js';

/** Checks a command declares and the central handler runs before it (Sapphire-style). */
export type PreconditionName = 'cooldown';

/** Refuses with a `UserFacingError`, or allows and returns how to undo what it took if the request then fails. */
type Precondition = (ctx: BotContext, userId: string) => () => void;

const PRECONDITIONS: Record<PreconditionName, Precondition> = {
  /** One model-backed request per user per USER_COOLDOWN_SECONDS; a request that fails gives its turn back. */
  cooldown(ctx, userId) {
    const wait = ctx.cooldown.take(userId);
    if (wait > 0) throw new UserFacingError('cooldown', `Please wait ${wait} s before asking again.`);
    return () => ctx.cooldown.release(userId);
  },
};

/** Run `names` in order for `userId`; returns one undo for all of them (a refusal undoes those already passed). */
export function runPreconditions(names: readonly PreconditionName[], ctx: BotContext, userId: string): () => void {
  const undos: (() => void)[] = [];
  const undoAll = () => {
    for (const undo of undos.reverse()) undo();
  };
  try {
    for (const name of names) undos.push(PRECONDITIONS[name](ctx, userId));
  } catch (error) {
    undoAll();
    throw error;
  }
  return undoAll;
}
