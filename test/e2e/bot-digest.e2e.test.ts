import { pino } from 'pino';
import { allCommands } from '../../commands/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPaperbot } from '../../src/app/create-paperbot.js';
import type { Paperbot } from '../../src/app/paperbot.js';
import { createBot, type Bot } from '../../src/bot/create-bot.js';
import type { CronScheduler } from '../../src/bot/digest/digest-schedule.js';
import { loadBotConfig, type BotConfig } from '../../src/bot/load-bot-config.js';
import { openStateStores } from '../../src/state/open-state-stores.js';
import type { StateStores } from '../../src/state/state-stores.js';
import { FakeClock } from '../bot/fake-clock.js';
import { startFakeDiscord, type FakeDiscord, type RawMessage } from '../support/fake-discord/index.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { allowedMentionsOf, botEnv, contentWrites, copyDataDir, embedText, makeIndexedTemplate, modelReply, removeDir, spawnBot } from './bot-harness.js';

// Weekly digests against the fake Discord and the fake model, with the real core (createPaperbot):
//  - in-process `createBot` with a clock and a cron timer the test controls (fire, restart, missed run);
//  - the real bot process restarted on the same state database (missed run posted once, never twice).

const MONDAY_8AM = Date.UTC(2025, 0, 6, 8, 0, 0);
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

let template: string;
let fake: FakeDiscord;
let model: FakeOpenAIServer;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  template = await makeIndexedTemplate();
  model = await startFakeOpenAIServer({ defaultBehavior: { kind: 'reply', text: modelReply } });
}, 60_000);
afterAll(async () => {
  await model?.close();
  await removeDir(template);
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function newFake(): Promise<FakeDiscord> {
  const started = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
  cleanups.push(() => started.close());
  return started;
}

function digestMessages(): RawMessage[] {
  return fake.messagesIn(fake.ids.secondChannel).filter((m) => m.author.id === fake.ids.botUser);
}

function expectCitedDigest(message: RawMessage | undefined, topic: string): void {
  const text = embedText(message);
  expect(text).toContain(`Weekly digest: ${topic}`);
  expect(text).toMatch(/\[1\]/);
  expect(text).toMatch(/Sources/);
  expect(text).toMatch(/\(https:\/\/arxiv\.org\//);
}

describe('digests with a clock the test controls (in-process createBot + real createPaperbot)', () => {
  it('fires on schedule into DIGEST_CHANNEL_ID with citations; a restart does not post twice; a run missed while down is posted once on start-up', async () => {
    fake = await newFake();
    const dataDir = await copyDataDir(template);
    cleanups.push(() => removeDir(dataDir));
    const config: BotConfig = loadBotConfig({
      PAPERBOT_DATA_DIR: dataDir,
      OPENAI_BASE_URL: model.baseURL,
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_GUILD_ID: fake.ids.guild,
      DIGEST_CHANNEL_ID: fake.ids.secondChannel,
      DIGEST_CRON: '0 9 * * 1',
      DIGEST_TIMEZONE: 'UTC',
      DIGEST_TOPICS: 'video masked autoencoders; continual learning',
    });
    const paperbot: Paperbot = await createPaperbot(config);
    const clock = new FakeClock(MONDAY_8AM);
    let timers: { pattern: string; onTick: () => void; stopped: boolean }[] = [];
    const digestScheduler: CronScheduler = (pattern, _timezone, onTick) => {
      const timer = { pattern, onTick, stopped: false };
      timers.push(timer);
      return { stop: () => void (timer.stopped = true) };
    };
    let running: { bot: Bot; state: StateStores } | undefined;
    const start = async () => {
      const state = await openStateStores(config);
      const bot = createBot({ config, paperbot, state, logger: pino({ level: 'silent' }), clock, digestScheduler, commands: allCommands() });
      running = { bot, state };
      timers = [];
      await bot.start();
      return bot;
    };
    const stop = async () => {
      await running?.bot.stop();
      await running?.state.close();
      running = undefined;
    };
    cleanups.push(stop);

    // 08:00: the bot starts; nothing is due yet.
    await start();
    expect(timers.map((t) => t.pattern)).toEqual(['0 9 * * 1']);
    expect(digestMessages()).toHaveLength(0);

    // 09:00: the cron timer fires → one digest, cited, in the digest channel, pinging nobody.
    clock.set(MONDAY_8AM + HOUR);
    timers[0]!.onTick();
    const first = await fake.waitUntil(() => digestMessages()[0], 20_000, 'the digest');
    expectCitedDigest(first, 'video masked autoencoders');
    const postedOnce = digestMessages().length;
    for (const request of contentWrites(fake)) expect((allowedMentionsOf(request) as { parse?: unknown })?.parse).toEqual([]);
    // the timer firing again for the same slot (e.g. an early/late duplicate) posts nothing
    expect(await running!.bot.digest.tick()).toMatchObject({ posted: false, reason: 'already-posted' });

    // Restart on the same database file: the start-up check finds the run done.
    await stop();
    clock.set(MONDAY_8AM + 2 * HOUR);
    await start();
    expect(digestMessages()).toHaveLength(postedOnce);

    // Down over the next Monday 09:00 → posted once when the bot comes back, with the next topic.
    await stop();
    clock.set(MONDAY_8AM + WEEK + 5 * HOUR);
    await start();
    expect(digestMessages().length).toBeGreaterThan(postedOnce);
    const missed = digestMessages().slice(postedOnce);
    expectCitedDigest(missed[0], 'continual learning');
    const afterMissed = digestMessages().length;

    await stop();
    await start();
    expect(digestMessages()).toHaveLength(afterMissed);
  });
});

describe('digests across restarts of the bot process', () => {
  it('a run missed while down is posted once on start-up; restarting the process does not post it again', async () => {
    fake = await newFake();
    const dataDir = await copyDataDir(template);
    cleanups.push(() => removeDir(dataDir));
    // The digest was set up long ago (as if the bot had been running since 2020) and the yearly
    // slot of 1 January passed while the bot was down.
    const state = await openStateStores({ stateDir: `${dataDir}/state` });
    await state.settings.set('digest.activeSince', Date.UTC(2020, 0, 1));
    await state.close();
    const env = botEnv(fake, dataDir, {
      OPENAI_BASE_URL: model.baseURL,
      DIGEST_CHANNEL_ID: fake.ids.secondChannel,
      DIGEST_CRON: '0 0 1 1 *',
      DIGEST_TIMEZONE: 'UTC',
      DIGEST_TOPICS: 'video masked autoencoders',
    });

    const firstRun = spawnBot(env, dataDir);
    cleanups.push(() => firstRun.stop());
    const scheduled = await firstRun.waitForLog((l) => l.event === 'digest-scheduled', 60_000, 'the digest schedule');
    expect(scheduled.missedRun).toBe('posted');
    expect(firstRun.logs.some((l) => l.event === 'digest-missed-run-posted')).toBe(true);
    const posted = digestMessages().length;
    expect(posted).toBeGreaterThan(0);
    expectCitedDigest(digestMessages()[0], 'video masked autoencoders');
    expect(await firstRun.stop()).toBe(0);

    const secondRun = spawnBot(env, dataDir);
    cleanups.push(() => secondRun.stop());
    const again = await secondRun.waitForLog((l) => l.event === 'digest-scheduled', 60_000, 'the digest schedule after the restart');
    expect(again.missedRun).toBe('already-posted');
    expect(digestMessages()).toHaveLength(posted);
    expect(await secondRun.stop()).toBe(0);
  }, 120_000);
});
