import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createCooldown } from '../../src/bot/cooldown.js';
import type { CooldownStore } from '../../src/state/cooldown-store.js';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import { FakeClock } from './fake-clock.js';

const logger = pino({ level: 'silent' });

function setup(seconds = 10, store: CooldownStore = openSqliteStateStores(':memory:').cooldowns) {
  const clock = new FakeClock(0);
  return { clock, store, cooldown: createCooldown(seconds, { clock, store, logger }) };
}

describe('createCooldown', () => {
  it('lets a user through, then says how many seconds to wait, per user', async () => {
    const { clock, cooldown } = setup();
    expect(await cooldown.take('alice')).toBe(0);
    expect(await cooldown.take('bob')).toBe(0);
    clock.advance(2_500);
    expect(await cooldown.take('alice')).toBe(8);
    clock.advance(7_499);
    expect(await cooldown.take('alice')).toBe(1);
    clock.advance(1);
    expect(await cooldown.take('alice')).toBe(0);
  });

  it('a refused attempt does not extend the wait; release gives back the cooldown it took', async () => {
    const { clock, cooldown } = setup();
    await cooldown.take('alice');
    clock.advance(5_000);
    expect(await cooldown.take('alice')).toBe(5);
    clock.advance(5_000);
    expect(await cooldown.take('alice')).toBe(0);
    await cooldown.release('alice');
    expect(await cooldown.take('alice')).toBe(0);
  });

  it('holds across two bots on the same state: the second one sees the first one’s cooldown; a release gives back only its own', async () => {
    const store = openSqliteStateStores(':memory:').cooldowns;
    const first = setup(10, store);
    const second = setup(10, store);
    expect(await first.cooldown.take('alice')).toBe(0);
    second.clock.advance(3_000);
    expect(await second.cooldown.take('alice')).toBe(7);
    await second.cooldown.release('alice');
    expect(await second.cooldown.take('alice')).toBe(7);
    await first.cooldown.release('alice');
    expect(await second.cooldown.take('alice')).toBe(0);
  });

  it('a store that cannot be reached: take rejects (the caller apologises), release only logs', async () => {
    const broken: CooldownStore = {
      take: () => Promise.reject(new Error('connection terminated')),
      release: () => Promise.reject(new Error('connection terminated')),
    };
    const { cooldown } = setup(10, broken);
    await expect(cooldown.take('alice')).rejects.toThrow('connection terminated');
    const working = openSqliteStateStores(':memory:').cooldowns;
    const failingRelease = createCooldown(10, { clock: new FakeClock(0), store: { take: (...args) => working.take(...args), release: broken.release }, logger });
    expect(await failingRelease.take('carol')).toBe(0);
    await expect(failingRelease.release('carol')).resolves.toBeUndefined();
  });

  it('0 seconds disables it', async () => {
    const { cooldown } = setup(0);
    expect(await cooldown.take('a')).toBe(0);
    expect(await cooldown.take('a')).toBe(0);
  });
});
