import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.js';
import { createPaperbot } from '../../src/app/create-paperbot.js';
import { createBot, type Bot } from '../../src/bot/create-bot.js';
import type { CronScheduler } from '../../src/bot/digest/digest-schedule.js';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { loadBotConfig, type BotConfig } from '../../src/bot/load-bot-config.js';
import { openStateStores } from '../../src/state/open-state-stores.js';
import type { StateStores } from '../../src/state/state-stores.js';
import { FakeClock } from '../bot/fake-clock.js';
import { LogRecorder } from '../bot/log-recorder.js';
import { renderArxivEntry, startFakeArxivServer, type FakeArxivServer } from '../support/fake-arxiv-server.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { createFakeFeedTimers } from '../support/fake-feed-timers.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { copyDataDir, embedText, makeIndexedTemplate, modelReply, removeDir } from './bot-harness.js';

// The real bot (in-process createBot over the real core) fetching from a fake arXiv on its schedule,
// with a clock and cron timers the test controls, against the fake Discord.

const SUNDAY_6AM = Date.UTC(2025, 0, 5, 6, 0, 0);
const QUERY = 'cat:cs.LG AND abs:"continual learning"';
export const FRESH_PAPERS = [
  {
    id: '2501.01111v1',
    title: 'Quokka Replay: Prototype Lattices for Continual Learning without Rehearsal Buffers',
    summary:
      'Continual learning suffers from catastrophic forgetting. We propose Quokka Replay, which keeps a lattice of class prototypes instead of a rehearsal buffer, and reduces forgetting on split CIFAR-100 and CORe50 while storing no raw images.',
    published: '2025-01-03T18:00:00Z',
    primaryCategory: 'cs.LG',
  },
  {
    id: '2501.02222v1',
    title: 'Wombat Adapters: Parameter-Efficient Continual Learning for Large Language Models',
    summary:
      'We study continual learning of large language models with adapters. Wombat Adapters allocate a new low-rank adapter per task and route between them, avoiding forgetting of earlier tasks while adding under one percent of parameters.',
    published: '2025-01-04T09:00:00Z',
    primaryCategory: 'cs.CL',
  },
];

let template: string;
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

interface Running {
  fake: FakeDiscord;
  arxiv: FakeArxivServer;
  bot: Bot;
  state: StateStores;
  clock: FakeClock;
  log: LogRecorder;
  /** Fire the cron timer registered with this pattern. */
  fire(pattern: string): void;
}

/** A bot with FEEDS pointing at the fake arXiv, digests and fetches on timers the test fires. */
export async function startFetchingBot(env: Record<string, string> = {}): Promise<Running> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
  cleanups.push(() => fake.close());
  await deployCommands({ token: fake.token, apiBase: fake.apiBase, guildId: fake.ids.guild });
  const arxiv = await startFakeArxivServer(FRESH_PAPERS.map(renderArxivEntry));
  cleanups.push(() => arxiv.close());
  const dataDir = await copyDataDir(template);
  cleanups.push(() => removeDir(dataDir));
  const config: BotConfig = loadBotConfig({
    PAPERBOT_DATA_DIR: dataDir,
    OPENAI_BASE_URL: model.baseURL,
    DISCORD_TOKEN: fake.token,
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_GUILD_ID: fake.ids.guild,
    USER_COOLDOWN_SECONDS: '0',
    DIGEST_CHANNEL_ID: fake.ids.secondChannel,
    DIGEST_TOPICS: 'continual learning; video masked autoencoders',
    FEEDS: `arxiv:${QUERY}`,
    ARXIV_API_BASE: arxiv.baseURL,
    FETCH_CRON: '0 6 * * *',
    ...env,
  });
  const log = new LogRecorder();
  const paperbot = await createPaperbot(config, { logger: log.logger });
  cleanups.push(() => paperbot.close());
  const state = await openStateStores(config);
  cleanups.push(() => state.close());
  const clock = new FakeClock(SUNDAY_6AM - 60_000);
  const timers: { pattern: string; onTick: () => void }[] = [];
  const scheduler: CronScheduler = (pattern, _timezone, onTick) => {
    timers.push({ pattern, onTick });
    return { stop: () => undefined };
  };
  const bot = createBot({ config, paperbot, state, logger: log.logger, clock, digestScheduler: scheduler, fetchScheduler: scheduler, feedTimers: createFakeFeedTimers(SUNDAY_6AM), commands: allCommands() });
  cleanups.push(() => bot.stop());
  await bot.start();
  await fake.waitForReady();
  const fire = (pattern: string) => timers.filter((t) => t.pattern === pattern).forEach((t) => t.onTick());
  return { fake, arxiv, bot, state, clock, log, fire };
}

export async function searchReply(fake: FakeDiscord, query: string): Promise<string> {
  const sent = fake.sendSlashCommand({ name: 'search', options: { query, count: 5 } });
  return embedText(await fake.waitForOriginal(sent.token, (m) => embedText(m).includes('Search:'), 20_000));
}

describe('scheduled fetch in the running bot', () => {
  it('at FETCH_CRON the bot fetches the fake arXiv, ingests and serves the new papers; the slot is fetched once', async () => {
    const running = await startFetchingBot();
    const { fake, arxiv, bot, clock, log } = running;
    expect(await searchReply(fake, 'quokka replay prototype lattices')).not.toContain('Quokka Replay');

    clock.set(SUNDAY_6AM);
    running.fire('0 6 * * *');
    const outcome = await bot.fetch.tick();
    expect(outcome).toMatchObject({ fetched: true, outcome: { newPaperIds: ['arxiv-2501.01111', 'arxiv-2501.02222'], failedFeeds: [] } });
    expect(arxiv.requests.length).toBeGreaterThan(0);
    expect(arxiv.requests[0]!.headers['user-agent']).toMatch(/^paperbot\//);
    expect(log.lines.find((l) => l.event === 'fetch-done')).toMatchObject({ new: 2, fetched: 2 });
    expect(log.lines.find((l) => l.event === 'index-reloaded')).toMatchObject({ added: 2 });

    const reply = await searchReply(fake, 'quokka replay prototype lattices');
    expect(reply).toContain('Quokka Replay');
    expect(reply).toContain('https://arxiv.org/abs/2501.01111');
    const requests = arxiv.requests.length;
    expect(await bot.fetch.tick()).toEqual({ fetched: false, reason: 'already-done' });
    expect(arxiv.requests.length).toBe(requests);
  }, 60_000);

  it('a feed that is down: logged, the bot keeps running, the next slot retries and gets the papers', async () => {
    const running = await startFetchingBot();
    const { fake, arxiv, bot, clock, log } = running;
    clock.set(SUNDAY_6AM);
    for (let i = 0; i < 3; i++) arxiv.enqueue({ kind: 'status', status: 500 });
    expect(await bot.fetch.tick()).toMatchObject({ fetched: true, outcome: { newPaperIds: [], failedFeeds: [{ feed: `arxiv:${QUERY}`, error: expect.stringContaining('HTTP 500') as unknown as string }] } });
    expect(log.lines.find((l) => l.event === 'fetch-done')?.failedFeeds).toHaveLength(1);
    clock.set(SUNDAY_6AM + 86_400_000);
    expect(await bot.fetch.tick()).toMatchObject({ fetched: true, outcome: { newPaperIds: ['arxiv-2501.01111', 'arxiv-2501.02222'], failedFeeds: [] } });
    expect(await searchReply(fake, 'wombat adapters')).toContain('Wombat Adapters');
  }, 60_000);

  it('the weekly digest leads with the new papers of each topic (title, one line, arXiv link), then the cited summary; /digest preview shows exactly that', async () => {
    const running = await startFetchingBot();
    const { fake, bot, clock } = running;
    clock.set(SUNDAY_6AM);
    running.fire('0 6 * * *');
    await bot.fetch.tick();

    clock.set(SUNDAY_6AM + 27 * 3_600_000); // Monday 09:00
    const preview = fake.sendSlashCommand({ name: 'digest', options: [{ name: 'preview', type: 1, options: [] }], user: fake.ids.adminUser });
    const previewed = await fake.waitForOriginal(preview.token, (m) => embedText(m).includes('Weekly digest'), 20_000);
    running.fire('0 9 * * 1');
    const posted = await fake.waitUntil(() => fake.messagesIn(fake.ids.secondChannel).find((m) => m.author.id === fake.ids.botUser), 20_000, 'the digest');
    const [lead] = posted.embeds as { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
    expect(lead).toMatchObject({ title: 'New since the last digest', description: "2 papers added since the last digest; 2 on the digest's topics." });
    expect(lead!.fields![0]!.name).toBe('continual learning (2)');
    expect(lead!.fields![0]!.value).toContain('[Quokka Replay: Prototype Lattices for Continual Learning without Rehearsal Buffers](https://arxiv.org/abs/2501.01111) — Continual learning suffers from catastrophic forgetting.');
    expect(lead!.fields![0]!.value).toContain('(https://arxiv.org/abs/2501.02222)');
    expect(lead!.fields![1]).toEqual({ name: 'video masked autoencoders (0)', value: 'Nothing new on this topic.' });
    const text = embedText(posted);
    expect(text.indexOf('New since the last digest')).toBeLessThan(text.indexOf('Weekly digest: continual learning'));
    expect(text).toMatch(/\[1\]/);
    expect(posted.embeds).toEqual(previewed.embeds);
  }, 60_000);

  it('/watch: a DM subscriber and a channel subscriber each get exactly one notice per fetch, mentioning only the subscriber', async () => {
    const running = await startFetchingBot();
    const { fake, bot, clock, state } = running;
    const command = async (name: string, options: Record<string, string | boolean>, user: string) => {
      const sent = fake.sendSlashCommand({ name, options, user });
      return String(((await fake.waitForOriginal(sent.token, (m) => Boolean(m.content), 20_000)) as { content?: string }).content);
    };
    expect(await command('watch', { topic: 'Continual learning' }, fake.ids.normalUser)).toContain('Watching “Continual learning”: after each fetch, I will DM you');
    expect(await command('watch', { topic: 'continual LEARNING' }, fake.ids.normalUser)).toContain('Already watching');
    // A channel watch needs Manage Channels; the admin has it.
    expect(await command('watch', { topic: 'knitting', channel: true }, fake.ids.normalUser)).toContain('Manage Channels');
    expect(await command('watch', { topic: 'continual learning', channel: true }, fake.ids.adminUser)).toContain(`I will post in <#${fake.ids.textChannel}> and mention you`);
    expect(await command('watch', { topic: 'video masked autoencoders' }, fake.ids.adminUser)).toContain('Watching');
    const listed = await command('watches', {}, fake.ids.adminUser);
    expect(listed).toContain('video masked autoencoders');
    expect(listed).toContain("This channel's watches");
    expect(await state.watches.all()).toHaveLength(3);

    const channelBefore = fake.messagesIn(fake.ids.textChannel).length;
    clock.set(SUNDAY_6AM);
    running.fire('0 6 * * *');
    await bot.fetch.tick();
    const dm = fake.messagesIn(fake.dmChannelFor(fake.ids.normalUser).id).filter((m) => m.author.id === fake.ids.botUser);
    expect(dm).toHaveLength(1);
    expect(embedText(dm[0])).toContain('New on “Continual learning” (2)');
    expect(embedText(dm[0])).toContain('(https://arxiv.org/abs/2501.01111)');
    const posted = fake.messagesIn(fake.ids.textChannel).slice(channelBefore).filter((m) => m.author.id === fake.ids.botUser);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.content).toBe(`<@${fake.ids.adminUser}>`);
    // The admin's DM watch on a topic with nothing new sends nothing.
    expect(fake.messagesIn(fake.dmChannelFor(fake.ids.adminUser).id).filter((m) => m.author.id === fake.ids.botUser)).toHaveLength(0);
    const writes = fake.requests.filter((r) => r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path));
    const mentions = writes.map((r) => (r.body as { allowed_mentions?: unknown }).allowed_mentions);
    expect(mentions).toContainEqual({ parse: [], users: [fake.ids.adminUser] });
    for (const m of mentions) expect((m as { parse?: unknown }).parse).toEqual([]);

    // Nothing new at the next fetch, and the same slot again: no further notices.
    expect(await bot.fetch.tick()).toEqual({ fetched: false, reason: 'already-done' });
    clock.set(SUNDAY_6AM + 86_400_000);
    await bot.fetch.tick();
    expect(fake.messagesIn(fake.dmChannelFor(fake.ids.normalUser).id).filter((m) => m.author.id === fake.ids.botUser)).toHaveLength(1);

    expect(await command('unwatch', { topic: 'continual learning' }, fake.ids.normalUser)).toContain('Stopped watching');
    expect(await command('unwatch', { topic: 'continual learning' }, fake.ids.normalUser)).toContain('do not watch');
  }, 60_000);
});
