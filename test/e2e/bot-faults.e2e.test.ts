import { GatewayIntentBits } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../support/fake-discord/index.js';
import { startFakeOpenAIServer, type FakeBehavior, type FakeChatRequest, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import {
  InProcessBot,
  VIDEO_QUESTION,
  botEnv,
  copyDataDir,
  embedText,
  hasFinalEmbed,
  makeIndexedTemplate,
  modelReply,
  removeDir,
  spawnBot,
  type BotProcess,
} from './bot-harness.js';

// Failure scenarios, each with its own bot against the fake Discord and the fake OpenAI-compatible
// server: a REAL bot process (`src/bot/start-bot.ts`, its current source: nodeArgsFor) where the process is what is tested
// (its exit status after a fatal close, SIGTERM), else the same composition in this process.

interface Rig<B> {
  fake: FakeDiscord;
  model: FakeOpenAIServer;
  bot: B;
}

let template: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  template = await makeIndexedTemplate();
}, 60_000);
afterAll(() => removeDir(template));
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

type RigOptions = { env?: Record<string, string>; fake?: FakeDiscordOptions; model?: FakeBehavior };

/** The fakes and a data directory for one bot, and that bot's environment. */
async function startFakes(options: RigOptions): Promise<{ fake: FakeDiscord; model: FakeOpenAIServer; dataDir: string; env: Record<string, string> }> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000, ...options.fake });
  cleanups.push(() => fake.close());
  const model = await startFakeOpenAIServer({ defaultBehavior: options.model ?? { kind: 'reply', text: modelReply } });
  cleanups.push(() => model.close());
  await deployCommands({ token: fake.token, apiBase: fake.apiBase, guildId: fake.ids.guild });
  const dataDir = await copyDataDir(template);
  cleanups.push(() => removeDir(dataDir));
  return { fake, model, dataDir, env: botEnv(fake, dataDir, { OPENAI_BASE_URL: model.baseURL, ...options.env }) };
}

/** A real bot process. */
async function startRig(options: RigOptions = {}): Promise<Rig<BotProcess>> {
  const { fake, model, dataDir, env } = await startFakes(options);
  const bot = spawnBot(env, dataDir);
  cleanups.push(() => bot.stop());
  await bot.waitForReady();
  await fake.waitForReady();
  return { fake, model, bot };
}

/** The same bot in this process. */
async function startInProcessRig(options: RigOptions = {}): Promise<Rig<InProcessBot>> {
  const { fake, model, env } = await startFakes(options);
  const bot = new InProcessBot();
  cleanups.push(() => bot.stop());
  await bot.start(env);
  await fake.waitForReady();
  return { fake, model, bot };
}

/**
 * The fake model's reply, a promise of the moment it is first asked (the fake server has no events of
 * its own), and a gate: every reply is held until the test calls `answer()`, so the test acts while a
 * call is in flight without betting on a delay.
 */
function replyNoticingFirstCall(): { text: (request: FakeChatRequest) => string; firstCall: Promise<void>; held: Promise<void>; answer: () => void } {
  let called = () => undefined as void;
  const firstCall = new Promise<void>((resolve) => (called = resolve));
  let answer = () => undefined as void;
  const held = new Promise<void>((resolve) => (answer = resolve));
  return {
    text: (request) => {
      called();
      return modelReply(request);
    },
    firstCall,
    held,
    answer: () => answer(),
  };
}

function lastFooter(message: { embeds?: unknown }): string | undefined {
  const embeds = (message.embeds ?? []) as { footer?: { text?: string } }[];
  return embeds.at(-1)?.footer?.text;
}

describe('the bot process when things go wrong', () => {
  it('model failure (500) and a hanging model (small OPENAI_TIMEOUT_MS) → a labelled extractive answer is still delivered', async () => {
    const { fake, model } = await startInProcessRig({ env: { OPENAI_TIMEOUT_MS: '1000', OPENAI_MAX_RETRIES: '0' } });

    model.enqueue({ kind: 'status', status: 500 });
    const failed = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    expect((await fake.waitForInteractionResponse(failed.id)).type).toBe(5);
    const fallback = await fake.waitForOriginal(failed.token, hasFinalEmbed, 20_000);
    expect(lastFooter(fallback)).toMatch(/^Offline answer \(extractive\)\n(All \d+ cited sentences|The cited sentence) matched/); // + the claim check's line
    expect(embedText(fallback)).toMatch(/Offline answer: The language model is unavailable right now/);
    expect(embedText(fallback)).toContain('VideoMAE V2');
    expect(model.chatRequests()).toHaveLength(1);

    model.enqueue({ kind: 'hang' });
    const hung = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION }, user: fake.ids.adminUser });
    expect((await fake.waitForInteractionResponse(hung.id)).type).toBe(5);
    const answer = await fake.waitForOriginal(hung.token, hasFinalEmbed, 20_000);
    expect(lastFooter(answer)).toMatch(/^Offline answer \(extractive\)\n/);
    expect(embedText(answer)).toContain('VideoMAE V2');
    expect(model.chatRequests()).toHaveLength(2);
  });

  it('cooldown: a second /ask too soon gets an ephemeral "wait"; queue: with MODEL_CONCURRENCY=1 the next user sees "number 1 in line", then the answer', async () => {
    const reply = replyNoticingFirstCall();
    const { fake, model } = await startInProcessRig({
      env: { MODEL_CONCURRENCY: '1', USER_COOLDOWN_SECONDS: '60' },
      model: { kind: 'reply', text: reply.text, heldUntil: reply.held },
    });
    const first = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION }, user: fake.ids.normalUser });
    expect((await fake.waitForInteractionResponse(first.id)).type).toBe(5);
    await reply.firstCall;

    const again = fake.sendSlashCommand({ name: 'ask', options: { question: 'And what about ERNIE-Tiny?' }, user: fake.ids.normalUser });
    const refusal = await fake.waitForInteractionResponse(again.id);
    expect(refusal.type).toBe(4);
    const data = refusal.data as { content: string; flags: number };
    expect(data.flags & 64).toBe(64);
    expect(data.content).toMatch(/Please wait \d+ s before asking again/);

    const other = fake.sendSlashCommand({ name: 'ask', options: { question: 'What is dual masking in VideoMAE V2?' }, user: fake.ids.adminUser });
    expect((await fake.waitForInteractionResponse(other.id)).type).toBe(5);
    await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(other.token) && /you are number 1 in line/.test(JSON.stringify(r.body)), 10_000);
    reply.answer();
    const answer = await fake.waitForOriginal(other.token, hasFinalEmbed, 20_000);
    expect(embedText(answer)).toContain('[1]');
    expect(embedText(answer)).toContain('What is dual masking in VideoMAE V2?');
    await fake.waitForOriginal(first.token, hasFinalEmbed, 20_000);
    expect(model.maxConcurrent).toBe(1);
    expect(model.chatRequests()).toHaveLength(2); // the refused /ask never reached the model
  });

  it('4014 (Message Content not allowed) → the bot re-identifies without it and keeps answering slash commands', async () => {
    const { fake, bot } = await startInProcessRig({ fake: { disallowedIntents: GatewayIntentBits.MessageContent } });
    expect(fake.identifies.length).toBe(2);
    const [firstIdentify, secondIdentify] = fake.identifies as { intents: number }[];
    expect(firstIdentify!.intents & GatewayIntentBits.MessageContent).toBe(GatewayIntentBits.MessageContent);
    expect(secondIdentify!.intents & GatewayIntentBits.MessageContent).toBe(0);
    expect(bot.logs.some((l) => l.event === 'message-content-disallowed')).toBe(true);
    expect(bot.logs.find((l) => l.event === 'ready')?.mentionOnly).toBe(true);

    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(5);
    const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
    expect(embedText(final)).toContain('[1]');
  });

  it('4004 after READY (token revoked) → a fatal log line, the normal shutdown, exit 1 (so a supervisor restarts it)', async () => {
    const { fake, bot } = await startRig();
    fake.closeGateway(4004);
    expect(await bot.waitForExit()).toBe(1);
    expect(bot.logs.find((l) => l.event === 'gateway-fatal')).toMatchObject({ level: 60, code: 4004 });
    expect(bot.logs.some((l) => l.event === 'stopped')).toBe(true);
  });

  it('SIGTERM while an answer is being written → the answer is finished, then the process exits 0', async () => {
    const reply = replyNoticingFirstCall();
    const { fake, bot } = await startRig({ model: { kind: 'reply', text: reply.text, heldUntil: reply.held } });
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(5);
    await reply.firstCall;
    expect(fake.getOriginal(sent.token) && hasFinalEmbed(fake.getOriginal(sent.token)!)).toBeFalsy();

    bot.child.kill('SIGTERM');
    // The model answers only once the bot has begun shutting down.
    await bot.waitForLog((l) => l.event === 'shutdown', 20_000, 'the shutdown to begin');
    reply.answer();
    expect(await bot.waitForExit()).toBe(0);
    const final = fake.getOriginal(sent.token)!;
    expect(hasFinalEmbed(final)).toBe(true);
    expect(embedText(final)).toContain('[1]');
    expect(bot.logs.some((l) => l.event === 'shutdown')).toBe(true);
    expect(bot.logs.some((l) => l.event === 'stopped')).toBe(true);
  });
});
