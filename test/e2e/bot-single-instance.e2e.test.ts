import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../support/fake-discord/index.js';
import { botEnv, copyDataDir, makeIndexedTemplate, removeDir, spawnBot } from './bot-harness.js';

// One bot process per embedded state directory: real bot processes (src/bot/start-bot.ts, its current source: nodeArgsFor)
// against the fake Discord, on one data directory.

let template: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  template = await makeIndexedTemplate();
}, 60_000);
afterAll(() => removeDir(template));
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('a second bot process on the same data directory', () => {
  it('is refused naming the running one (exit 1, never connects); once that one is killed -9, its lock is recovered', async () => {
    const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
    cleanups.push(() => fake.close());
    const dataDir = await copyDataDir(template);
    cleanups.push(() => removeDir(dataDir));
    const env = botEnv(fake, dataDir);

    const first = spawnBot(env, dataDir);
    cleanups.push(() => first.stop());
    await first.waitForReady(60_000);
    expect(fake.identifies).toHaveLength(1);

    const second = spawnBot(env, dataDir);
    cleanups.push(() => second.stop());
    expect(await second.waitForExit(60_000)).toBe(1);
    expect(second.stderr).toContain(`another paperbot is running (pid ${first.child.pid})`);
    expect(second.logs.find((line) => line.event === 'start-failed')).toMatchObject({ step: 'lock the bot state' });
    expect(second.logs.some((line) => line.event === 'ready')).toBe(false);
    expect(fake.identifies).toHaveLength(1);

    first.child.kill('SIGKILL');
    await first.waitForExit();
    const third = spawnBot(env, dataDir);
    cleanups.push(() => third.stop());
    await third.waitForReady(60_000);
    expect(await third.stop()).toBe(0);
  }, 120_000);
});
