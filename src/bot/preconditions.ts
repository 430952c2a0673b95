import { UserFacingError } from '../errors.js';
import type { BotContext } from './bot-context.js';

/** Checks a command declares and the central handler runs before it (Sapphire-style). */
export type PreconditionName = 'cooldown';

/** Refuses with a `UserFacingError`, or allows and returns how to undo what it took if the request then fails. */
type Precondition = (ctx: BotContext, userId: string) => Promise<Undo>;

/** Gives back what a precondition took; never rejects. */
export type Undo = () => Promise<void>;

const PRECONDITIONS: Record<PreconditionName, Precondition> = {
  /** One model-backed request per user per USER_COOLDOWN_SECONDS; a request that fails gives its turn back. */
  async cooldown(ctx, userId) {
    const wait = await ctx.cooldown.take(userId);
    if (wait > 0) throw new UserFacingError('cooldown', `Please wait ${wait} s before asking again.`);
    return () => ctx.cooldown.release(userId);
  },
};

/** Run `names` in order for `userId`; returns one undo for all of them (a refusal undoes those already passed). */
export async function runPreconditions(names: readonly PreconditionName[], ctx: BotContext, userId: string): Promise<Undo> {
  const undos: Undo[] = [];
  const undoAll = async () => {
    for (const undo of undos.reverse()) await undo();
  };
  try {
    for (const name of names) undos.push(await PRECONDITIONS[name](ctx, userId));
  } catch (error) {
    await undoAll();
    throw error;
  }
  return undoAll;
}
