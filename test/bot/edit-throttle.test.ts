import { describe, expect, it } from 'vitest';
import { createEditThrottle } from '../../src/bot/edit-throttle.js';
import { FakeClock } from './fake-clock.js';

function setup(intervalMs = 1000, budget?: { edits: number; windowMs: number }) {
  const clock = new FakeClock(0);
  const edits: { at: number; text: string }[] = [];
  const resolvers: (() => void)[] = [];
  const throttle = createEditThrottle({
    intervalMs,
    clock,
    budget,
    edit: (text) => {
      edits.push({ at: clock.now(), text });
      return new Promise<void>((resolve) => resolvers.push(resolve));
    },
  });
  const settle = async () => {
    while (resolvers.length) resolvers.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { clock, edits, throttle, settle };
}

describe('createEditThrottle', () => {
  it('edits at once the first time, then at most once per interval with the latest text', async () => {
    const { clock, edits, throttle, settle } = setup(1000);
    throttle.push('a');
    expect(edits).toEqual([{ at: 0, text: 'a' }]);
    await settle();
    for (let t = 1; t <= 30; t++) {
      clock.advance(100);
      throttle.push('a'.repeat(t + 1));
      await settle();
    }
    // 3 s of tokens every 100 ms → the first edit plus one per second, each with the text so far
    expect(edits.map((e) => e.at)).toEqual([0, 1000, 2000, 3000]);
    expect(edits.at(-1)!.text).toBe('a'.repeat(30));
    // the last pushed text still goes out, one interval later
    clock.advance(1000);
    await settle();
    expect(edits.at(-1)).toEqual({ at: 4000, text: 'a'.repeat(31) });
    for (let i = 1; i < edits.length; i++) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('never runs two edits at once: a slow edit delays the next one', async () => {
    const { clock, edits, throttle, settle } = setup(1000);
    throttle.push('one');
    clock.advance(2500);
    throttle.push('two');
    expect(edits).toHaveLength(1); // the first edit has not finished
    await settle(); // first edit completes → the pending text goes out now (interval long passed)
    expect(edits.map((e) => e.text)).toEqual(['one', 'two']);
  });

  it('close cancels a scheduled edit and waits for the one in flight', async () => {
    const { clock, edits, throttle, settle } = setup(1000);
    throttle.push('one');
    await settle();
    clock.advance(200);
    throttle.push('two');
    expect(clock.pendingTimers).toBe(1);
    const flushed = throttle.close();
    expect(clock.pendingTimers).toBe(0);
    await settle();
    await flushed;
    clock.advance(5000);
    throttle.push('three');
    expect(edits.map((e) => e.text)).toEqual(['one']);
    expect(throttle.edits).toBe(1);
  });

  it('keeps every edit, the final one included, within 5 per 5 s: the final edit waits for room', async () => {
    const { clock, edits, throttle, settle } = setup(1100);
    // a model streaming a token every 100 ms for 4.5 s
    for (let t = 0; t <= 4_500; t += 100) {
      clock.set(t);
      throttle.push(`text ${t}`);
      await settle();
      clock.advance(0);
    }
    expect(edits.map((e) => e.at)).toEqual([0, 1100, 2200, 3300, 4400]);
    let done = false;
    const final = throttle.finish(async () => {
      edits.push({ at: clock.now(), text: 'final' });
      done = true;
      return 'message';
    });
    await settle();
    expect(done).toBe(false); // a sixth edit now would make 6 within 5 s
    clock.advance(499);
    await settle();
    expect(done).toBe(false);
    clock.advance(1);
    await settle();
    await expect(final).resolves.toBe('message');
    expect(edits.at(-1)).toEqual({ at: 5_000, text: 'final' });
    for (const edit of edits) expect(edits.filter((e) => e.at >= edit.at && e.at < edit.at + 5_000).length).toBeLessThanOrEqual(5);
    expect(throttle.edits).toBe(6);
  });

  it('a notice edit waits for the streamed edit in flight and counts in the budget', async () => {
    const { clock, edits, throttle, settle } = setup(100, { edits: 2, windowMs: 1_000 });
    throttle.push('one');
    const notice = throttle.edit(async () => {
      edits.push({ at: clock.now(), text: 'notice' });
    });
    await Promise.resolve();
    expect(edits.map((e) => e.text)).toEqual(['one']);
    await settle();
    await notice;
    expect(edits.map((e) => e.text)).toEqual(['one', 'notice']);
    clock.advance(200);
    throttle.push('two');
    await settle();
    expect(edits.map((e) => e.text)).toEqual(['one', 'notice']); // the budget of 2 per second is spent
    clock.advance(800);
    await settle();
    expect(edits.map((e) => [e.at, e.text])).toEqual([[0, 'one'], [0, 'notice'], [1_000, 'two']]);
  });

  it('reports edit failures and keeps going', async () => {
    const clock = new FakeClock(0);
    const errors: unknown[] = [];
    let calls = 0;
    const throttle = createEditThrottle({
      intervalMs: 500,
      clock,
      edit: async () => {
        calls++;
        throw new Error('429');
      },
      onError: (error) => errors.push(error),
    });
    throttle.push('a');
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(600);
    throttle.push('b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
