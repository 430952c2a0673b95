/**
 * Load benchmark of the Discord bot: N `/ask` at once (default 100, from N distinct users) through
 * the fake Discord (real discord.js client over loopback REST + gateway) with a fake
 * OpenAI-compatible model that takes 2 s per call. By default the bot is the REAL bot process
 * (`src/bot/start-bot.ts` through tsx, real core, index built on start-up) so the fake Discord and
 * the bot do not share an event loop; `--in-process` composes it in this process instead
 * (`createBot` + the real `createPaperbot`), where the fake's own work shows in the figures.
 *
 * Prints acknowledgement latency (slash command dispatched → type-5 deferred callback received),
 * completion latency (dispatched → final answer embed on @original), how many were answered, and
 * the most concurrent model calls the fake server saw vs the cap (MODEL_CONCURRENCY).
 *
 *   npm run bench:bot [-- --requests 100 --concurrency 10 --model-delay-ms 2000 --in-process]
 *
 * Exits 1 when not every request was answered or the model cap was exceeded.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPaperbot } from '../src/app/create-paperbot.js';
import { createSilentLogger } from '../src/app/logger.js';
import { createBot } from '../src/bot/create-bot.js';
import { deployCommands } from '../src/bot/deploy-commands.js';
import { loadBotConfig } from '../src/bot/load-bot-config.js';
import { PROJECT_ROOT } from '../src/config.js';
import { openStateStores } from '../src/state/open-state-stores.js';
import { startFakeDiscord, type RawMessage } from '../test/support/fake-discord/index.js';
import { botEnv, spawnBot } from '../test/e2e/bot-harness.js';
import { startFakeOpenAIServer } from '../test/support/fake-openai-server.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '10' },
    'model-delay-ms': { type: 'string', default: '2000' },
    'in-process': { type: 'boolean', default: false },
  },
});
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const MODEL_DELAY_MS = Number(args['model-delay-ms']);
const IN_PROCESS = args['in-process'];

const QUESTIONS = [
  'How does VideoMAE V2 scale video masked autoencoders?',
  'What is dual masking in video pre-training?',
  'How does ERNIE-Tiny compress pretrained transformers?',
  'What is anytime progressive pruning?',
  'How can continual learning avoid catastrophic forgetting?',
  'How does learning to prompt help continual learning?',
  'What is weak-to-strong reasoning?',
  'How are language model agents trained without modifying the model?',
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');

function isFinalAnswer(message: RawMessage): boolean {
  const embeds = (message.embeds ?? []) as { fields?: { name: string }[]; footer?: { text?: string } }[];
  return embeds.some((e) => (e.fields ?? []).some((f) => /Sources|Nearest/.test(f.name))) && !embeds.some((e) => e.footer?.text === 'Writing…');
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-bench-bot-'));
  await mkdir(path.join(dataDir, 'corpus'), { recursive: true });
  await cp(path.join(PROJECT_ROOT, 'data', 'corpus', 'hf-trending-papers.txt'), path.join(dataDir, 'corpus', 'hf-trending-papers.txt'));

  const fake = await startFakeDiscord({ heartbeatIntervalMs: 5000 });
  const model = await startFakeOpenAIServer({ defaultBehavior: { kind: 'reply', delayMs: MODEL_DELAY_MS } });
  const env = {
    PAPERBOT_DATA_DIR: dataDir,
    OPENAI_BASE_URL: model.baseURL,
    MODEL_CONCURRENCY: String(CONCURRENCY),
    OPENAI_MAX_RETRIES: '0',
    DISCORD_TOKEN: fake.token,
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_GUILD_ID: fake.ids.guild,
    USER_COOLDOWN_SECONDS: '0',
  };
  await deployCommands({ token: fake.token, apiBase: fake.apiBase, guildId: fake.ids.guild });
  const startupStarted = Date.now();
  let stopBot: () => Promise<void>;
  if (IN_PROCESS) {
    const config = loadBotConfig(env);
    const paperbot = await createPaperbot(config);
    const state = await openStateStores(config);
    const bot = createBot({ config, paperbot, state, logger: createSilentLogger() });
    await bot.start();
    stopBot = async () => {
      await bot.stop();
      await state.close();
      await paperbot.close();
    };
  } else {
    const child = spawnBot(botEnv(fake, dataDir, { ...env, LOG_LEVEL: 'warn' }), dataDir);
    stopBot = async () => {
      const code = await child.stop(60_000);
      if (code !== 0) throw new Error(`the bot process exited with ${code}: ${child.stderr}`);
    };
  }
  await fake.waitForReady(60_000);
  const startupMs = Date.now() - startupStarted;

  // One warm-up /ask (excluded from the figures): the first answer after start-up pays one-off costs
  // (JIT, the first model request) that a running bot has already paid.
  const warm = fake.sendSlashCommand({ name: 'ask', options: { question: QUESTIONS[0] as string }, user: fake.ids.adminUser });
  await fake.waitForOriginal(warm.token, isFinalAnswer, 60_000);
  model.reset();

  const users = Array.from({ length: REQUESTS }, (_, i) => fake.addUser(`bench-user-${i}`).id);
  const started = Date.now();
  const sent = users.map((user, i) => fake.sendSlashCommand({ name: 'ask', options: { question: QUESTIONS[i % QUESTIONS.length] as string }, user }));

  const ack: number[] = [];
  const completion: number[] = [];
  let answered = 0;
  let failed = 0;
  await Promise.all(
    sent.map(async (s) => {
      const interaction = fake.interactions.get(s.id)!;
      try {
        const callback = await fake.waitForInteractionResponse(s.id, 30_000);
        ack.push(callback.at - interaction.createdAt);
        await fake.waitForOriginal(s.token, isFinalAnswer, 10 * 60_000);
        completion.push(Date.now() - interaction.createdAt);
        answered++;
      } catch {
        failed++;
      }
    }),
  );
  const wallMs = Date.now() - started;
  const deferred = sent.filter((s) => fake.interactions.get(s.id)?.callbacks[0]?.type === 5).length;

  await stopBot();
  await fake.close();
  await model.close();
  await rm(dataDir, { recursive: true, force: true });

  const within3s = ack.filter((value) => value <= 3000).length;
  const p95Ack = percentile(ack, 95);
  const lines = [
    'paperbot bot benchmark',
    IN_PROCESS
      ? 'setup: in-process createBot + the real createPaperbot (real discord.js 14 client over loopback to the fake Discord REST + gateway; the fake shares the event loop);'
      : 'setup: the real bot process (node --import tsx src/bot/start-bot.ts: discord.js 14 + the real core) over loopback to the fake Discord REST + gateway;',
    `       fake OpenAI-compatible model, ${MODEL_DELAY_MS} ms per call; ${REQUESTS} /ask at once from ${REQUESTS} distinct users; USER_COOLDOWN_SECONDS=0;`,
    '       one warm-up /ask before the burst, not counted',
    `bot start-up (index build on first use, login, READY): ${startupMs} ms`,
    `acknowledged (type-5 deferred): ${deferred}/${REQUESTS}, within 3 s: ${within3s}/${REQUESTS}`,
    `ack latency:        p50 ${ms(percentile(ack, 50))}  p95 ${ms(p95Ack)}  max ${ms(Math.max(...ack))}   (target p95 ≤ 300 ms: ${p95Ack <= 300 ? 'met' : 'MISSED'}; all ≤ 3 s: ${within3s === REQUESTS ? 'met' : 'MISSED'})`,
    `completion latency: p50 ${ms(percentile(completion, 50))}  p95 ${ms(percentile(completion, 95))}  max ${ms(Math.max(...completion))}`,
    `answered: ${answered}/${REQUESTS}${failed ? ` (${failed} failed or timed out)` : ''}   wall time: ${ms(wallMs)}`,
    `model calls: ${model.chatRequests().length}; max concurrent seen by the fake server: ${model.maxConcurrent} (cap MODEL_CONCURRENCY=${CONCURRENCY}: ${model.maxConcurrent <= CONCURRENCY ? 'respected' : 'EXCEEDED'})`,
    `ideal completion of the last answer with the cap: ≈ ${ms(Math.ceil(REQUESTS / CONCURRENCY) * MODEL_DELAY_MS)}`,
  ];
  console.log(lines.join('\n'));
  if (answered !== REQUESTS || model.maxConcurrent > CONCURRENCY) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
