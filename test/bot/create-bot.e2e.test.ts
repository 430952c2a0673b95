import { GatewayIntentBits } from 'discord.js';
import { pino } from 'pino';
import { allCommands } from '../../commands/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/bot/create-bot.js';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { loadBotConfig } from '../../src/bot/load-bot-config.js';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import type { StateStores } from '../../src/state/state-stores.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { createFakePaperbot, type FakePaperbot } from '../support/fake-paperbot.js';

// A smoke test of the wiring against the fake Discord (REST + gateway) with the real discord.js client.
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function startBot(options: { disallowedIntents?: number; paperbot?: FakePaperbot } = {}): Promise<{ fake: FakeDiscord; bot: Bot; state: StateStores; paperbot: FakePaperbot }> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000, ...(options.disallowedIntents ? { disallowedIntents: options.disallowedIntents } : {}) });
  cleanups.push(() => fake.close());
  const config = loadBotConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_GUILD_ID: fake.ids.guild, USER_COOLDOWN_SECONDS: '0' });
  await deployCommands({ token: fake.token, apiBase: fake.apiBase, guildId: fake.ids.guild });
  const paperbot = options.paperbot ?? createFakePaperbot({ tokens: ['Hello ', 'world [1].'] });
  const state = openSqliteStateStores(':memory:');
  const bot = createBot({ config, paperbot, state, logger: pino({ level: 'silent' }), digestScheduler: () => ({ stop: () => undefined }), streamEditIntervalMs: 50, commands: allCommands() });
  cleanups.push(async () => {
    await bot.stop();
    await state.close();
  });
  await bot.start();
  return { fake, bot, state, paperbot };
}

describe('createBot against the fake Discord', () => {
  it('registers the commands with deploy-commands', async () => {
    const fake = await startFakeDiscord();
    cleanups.push(() => fake.close());
    const result = await deployCommands({ token: fake.token, apiBase: fake.apiBase, guildId: fake.ids.guild });
    const names = ['ask', 'catchup', 'compare', 'consensus', 'digest', 'export', 'gaps', 'help', 'paper', 'search', 'summarize', 'unwatch', 'watch', 'watches'];
    expect(result).toMatchObject({ applicationId: fake.ids.application, scope: 'guild', count: names.length });
    expect(fake.registeredCommands(fake.ids.guild).map((c) => c.name).sort()).toEqual(names);
  });

  it('/ask → deferred, answered with embeds and no mentions, thread started; a follow-up in the thread is answered with history', async () => {
    const { fake, bot, paperbot } = await startBot();
    expect(bot.mentionOnly).toBe(false);
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: 'What is LoRA?' } });
    const callback = await fake.waitForInteractionResponse(sent.id);
    expect(callback.type).toBe(5); // deferred channel message
    const original = await fake.waitForOriginal(sent.token, (m) => Array.isArray(m.embeds) && (m.embeds as { fields?: unknown[] }[]).some((e) => e.fields?.length));
    expect(JSON.stringify(original.embeds)).toContain('What is LoRA?');
    const thread = await fake.waitUntil(() => [...fake.threads.values()][0], 5000, 'a thread');
    expect(thread.name).toBe('What is LoRA?');
    // every message-writing request carried allowed_mentions.parse = []
    const writes = fake.requests.filter((r) => ['POST', 'PATCH'].includes(r.method) && /messages|callback|webhooks/.test(r.path) && !/threads$/.test(r.path));
    expect(writes.length).toBeGreaterThan(0);
    for (const request of writes) {
      const body = request.body as { allowed_mentions?: { parse?: unknown[] }; data?: { allowed_mentions?: { parse?: unknown[] } }; type?: number };
      if (body?.type === 5) continue; // the bare defer has no message
      const allowed = body?.allowed_mentions ?? body?.data?.allowed_mentions;
      expect(allowed?.parse, `${request.method} ${request.path}`).toEqual([]);
    }

    // recorded before Discord was even asked (thread id = message id), so no race with a quick follow-up
    expect(await bot.context.threads.getThread(String(thread.id))).toMatchObject({ threadId: String(thread.id), question: 'What is LoRA?' });
    fake.sendMessage({ channelId: String(thread.id), content: 'And QLoRA?', author: fake.ids.normalUser });
    await fake.waitUntil(() => (paperbot.calls.filter((c) => c.kind === 'ask').length === 2 ? true : undefined), 5000, 'a follow-up answer');
    const followUp = paperbot.calls.filter((c) => c.kind === 'ask')[1]!;
    expect(followUp.input).toEqual(['And QLoRA?']);
    expect(followUp.options?.history?.map((t) => t.role)).toEqual(['user', 'assistant']);
    await fake.waitUntil(() => fake.messagesIn(String(thread.id)).find((m) => JSON.stringify(m.embeds ?? []).includes('And QLoRA?')), 5000, 'the follow-up answer in the thread');
  });

  it('falls back to mention-only follow-ups when Discord refuses the Message Content intent (4014)', async () => {
    const { fake, bot } = await startBot({ disallowedIntents: GatewayIntentBits.MessageContent });
    expect(bot.mentionOnly).toBe(true);
    expect(fake.identifies.length).toBe(2);
    expect(Number((fake.identifies.at(-1) as { intents?: number }).intents) & GatewayIntentBits.MessageContent).toBe(0);
    const sent = fake.sendSlashCommand({ name: 'help' });
    const callback = await fake.waitForInteractionResponse(sent.id);
    expect(callback.type).toBe(4);
  });

  it('after READY, a 4014 close (Message Content revoked) reconnects without the intent in mention-only mode', async () => {
    const { fake, bot } = await startBot();
    expect(bot.mentionOnly).toBe(false);
    const fatal: Error[] = [];
    bot.onFatal((error) => fatal.push(error));
    const before = bot.client;
    fake.setDisallowedIntents(GatewayIntentBits.MessageContent);
    fake.closeGateway(4014);
    await fake.waitUntil(() => (bot.client && bot.client !== before && bot.client.isReady() ? true : undefined), 10_000, 'a reconnected client');
    expect(bot.mentionOnly).toBe(true);
    expect(Number((fake.identifies.at(-1) as { intents?: number }).intents) & GatewayIntentBits.MessageContent).toBe(0);
    const sent = fake.sendSlashCommand({ name: 'help' });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(4);
    expect(fatal).toEqual([]);
  });

  it('after READY, a 4004 close (authentication failed) is reported as fatal', async () => {
    const { fake, bot } = await startBot();
    const fatal: Error[] = [];
    bot.onFatal((error) => fatal.push(error));
    fake.closeGateway(4004);
    await fake.waitUntil(() => fatal[0], 10_000, 'a fatal report');
    expect(fatal[0]!.message).toMatch(/4004/);
    expect(bot.mentionOnly).toBe(false);
  });
});
