import { describe, expect, it } from 'vitest';
import { settlesWithin, type TimerFunctions } from '../../src/async/settles-within.js';

/** Timers that fire only when the test says so. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: TimerFunctions<number> = {
    setTimeout: (callback) => {
      pending.set(++next, callback);
      return next;
    },
    clearTimeout: (handle) => pending.delete(handle),
  };
  const fireAll = () => [...pending.values()].forEach((fire) => fire());
  return { timers, pending, fireAll };
}

describe('settlesWithin', () => {
  it('is true when the work resolves or rejects before the time runs out, and clears its timer', async () => {
    const { timers, pending } = manualTimers();
    expect(await settlesWithin(Promise.resolve('done'), 1_000, timers)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error('failed')), 1_000, timers)).toBe(true);
    expect(pending.size).toBe(0);
  });

  it('is false when the time runs out first, and leaves the work running', async () => {
    const { timers, fireAll } = manualTimers();
    let finish!: () => void;
    const work = new Promise<void>((resolve) => (finish = resolve));
    const waiting = settlesWithin(work, 1_000, timers);
    fireAll();
    expect(await waiting).toBe(false);
    finish();
    await expect(work).resolves.toBeUndefined();
  });

  it('uses real timers that do not keep the process alive by default', async () => {
    expect(await settlesWithin(new Promise(() => {}), 1)).toBe(false);
  });
});
