import { describe, expect, it } from 'vitest';
import { createCooldown } from '../../src/bot/cooldown.js';
import { FakeClock } from './fake-clock.js';

describe('createCooldown', () => {
  it('lets a user through, then says how many seconds to wait, per user', () => {
    const clock = new FakeClock(0);
    const cooldown = createCooldown(10, clock);
    expect(cooldown.take('alice')).toBe(0);
    expect(cooldown.take('bob')).toBe(0);
    clock.advance(2_500);
    expect(cooldown.take('alice')).toBe(8);
    clock.advance(7_499);
    expect(cooldown.take('alice')).toBe(1);
    clock.advance(1);
    expect(cooldown.take('alice')).toBe(0);
  });

  it('a refused attempt does not extend the wait; release forgets the user', () => {
    const clock = new FakeClock(0);
    const cooldown = createCooldown(10, clock);
    cooldown.take('alice');
    clock.advance(5_000);
    expect(cooldown.take('alice')).toBe(5);
    clock.advance(5_000);
    expect(cooldown.take('alice')).toBe(0);
    cooldown.release('alice');
    expect(cooldown.take('alice')).toBe(0);
  });

  it('0 seconds disables it', () => {
    const cooldown = createCooldown(0, new FakeClock(0));
    expect(cooldown.take('a')).toBe(0);
    expect(cooldown.take('a')).toBe(0);
  });
});
