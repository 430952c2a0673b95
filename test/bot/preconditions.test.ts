import { describe, expect, it } from 'vitest';
import { runPreconditions } from '../../src/bot/preconditions.js';
import { UserFacingError } from '../../src/errors.js';
import { testContext } from './fake-interactions.js';

describe('runPreconditions', () => {
  it('cooldown: the first request passes, the next within the period is refused with the seconds left', async () => {
    const ctx = testContext();
    await runPreconditions(['cooldown'], ctx, 'u1');
    ctx.clock.advance(4_000);
    await expect(runPreconditions(['cooldown'], ctx, 'u1')).rejects.toThrow(new UserFacingError('cooldown', 'Please wait 6 s before asking again.'));
    await expect(runPreconditions(['cooldown'], ctx, 'u2')).resolves.toBeTypeOf('function');
  });

  it('the undo gives the cooldown back (a failed request does not use it up)', async () => {
    const ctx = testContext();
    const undo = await runPreconditions(['cooldown'], ctx, 'u1');
    await undo();
    await expect(runPreconditions(['cooldown'], ctx, 'u1')).resolves.toBeTypeOf('function');
  });

  it('no preconditions: nothing taken, nothing to undo', async () => {
    const ctx = testContext();
    await (await runPreconditions([], ctx, 'u1'))();
    expect(await ctx.cooldown.take('u1')).toBe(0);
  });
});
