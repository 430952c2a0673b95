import { describe, expect, it } from 'vitest';
import { runPreconditions } from '../../src/bot/preconditions.js';
import { UserFacingError } from '../../src/errors.js';
import { testContext } from './fake-interactions.js';

describe('runPreconditions', () => {
  it('cooldown: the first request passes, the next within the period is refused with the seconds left', () => {
    const ctx = testContext();
    runPreconditions(['cooldown'], ctx, 'u1');
    ctx.clock.advance(4_000);
    expect(() => runPreconditions(['cooldown'], ctx, 'u1')).toThrow(new UserFacingError('cooldown', 'Please wait 6 s before asking again.'));
    expect(() => runPreconditions(['cooldown'], ctx, 'u2')).not.toThrow();
  });

  it('the undo gives the cooldown back (a failed request does not use it up)', () => {
    const ctx = testContext();
    const undo = runPreconditions(['cooldown'], ctx, 'u1');
    undo();
    expect(() => runPreconditions(['cooldown'], ctx, 'u1')).not.toThrow();
  });

  it('no preconditions: nothing taken, nothing to undo', () => {
    const ctx = testContext();
    runPreconditions([], ctx, 'u1')();
    expect(ctx.cooldown.take('u1')).toBe(0);
  });
});
