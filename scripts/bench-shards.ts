/**
 * Load benchmark of the sharded bot: `npm run start:sharded` (the sharding manager through tsx, one
 * bot process per shard) with 2 shards, the bot state in PostgreSQL, the fake Discord with one guild
 * per shard, and a fake OpenAI-compatible model that takes 2 s per call. N `/ask` at once (default
 * 100, half in each guild, from N distinct users, USER_COOLDOWN_SECONDS=10 so every command takes a
 * cooldown in the database).
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:shards [-- --requests 100]
 *
 * The server URL defaults to TEST_DATABASE_URL, then the local server; a database of its own is
 * created and dropped. Exits 1 when not every request was answered by the shard of its guild.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createPaperbot } from '../src/app/create-paperbot.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { maskSecrets } from '../src/text/mask-secrets.js';
import { botEnv, type BotProcess } from '../test/e2e/bot-harness.js';
import { spawnSharded } from '../test/e2e/sharded-harness.js';
import { addGuild, shardOfGuild, startFakeDiscord, type FakeDiscord } from '../test/support/fake-discord/index.js';
import { startFakeOpenAIServer } from '../test/support/fake-openai-server.js';
import { ACK_DEADLINE_MS, QUESTIONS, isFinalAnswer, measureBurst, ms, percentile } from './bot-load.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '10' },
    'model-delay-ms': { type: 'string', default: '2000' },
  },
});
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const MODEL_DELAY_MS = Number(args['model-delay-ms']);
const SHARDS = 2;
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A data directory with the bundled corpus and its index built (so start-up is not the first build). */
async function indexedDataDir(): Promise<string> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-bench-shards-'));
  await mkdir(path.join(dataDir, 'corpus'), { recursive: true });
  await cp(path.join(PROJECT_ROOT, 'data', 'corpus', 'hf-trending-papers.txt'), path.join(dataDir, 'corpus', 'hf-trending-papers.txt'));
  await (await createPaperbot(loadConfig({ PAPERBOT_DATA_DIR: dataDir }))).close();
  return dataDir;
}

/** Which shard answered each command (the shards' `command` log lines). */
function shardsThatAnswered(manager: BotProcess): Map<string, unknown> {
  return new Map(manager.logs.filter((line) => line.event === 'command').map((line) => [String(line.interactionId), line.shardId]));
}

/** One /ask per guild, each by another user (the cooldown is per user, across shards). */
async function warmUp(fake: FakeDiscord, guilds: { guildId: string; channelId: string }[]): Promise<void> {
  const users = [fake.ids.adminUser, fake.ids.normalUser];
  const sent = guilds.map((g, i) => fake.sendSlashCommand({ name: 'ask', options: { question: QUESTIONS[0] as string }, user: users[i], ...g }));
  await Promise.all(sent.map((s) => fake.waitForOriginal(s.token, isFinalAnswer, 120_000)));
}

async function main(): Promise<void> {
  const database = `paperbot_bench_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE ${database}`);
  const databaseUrl = Object.assign(new URL(SERVER_URL), { pathname: `/${database}` }).toString();
  const dataDir = await indexedDataDir();
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 5000, recommendedShards: SHARDS, maxConcurrency: SHARDS });
  const model = await startFakeOpenAIServer({ defaultBehavior: { kind: 'reply', delayMs: MODEL_DELAY_MS } });
  let manager: BotProcess | undefined;
  try {
    const guildA = { guildId: fake.ids.guild, channelId: fake.ids.textChannel, shard: shardOfGuild(fake.ids.guild, SHARDS) };
    const second = addGuild(fake, { name: 'Second Guild', shard: [1 - guildA.shard, SHARDS] });
    const guildB = { guildId: second.id, channelId: second.textChannel, shard: 1 - guildA.shard };
    const env = { OPENAI_BASE_URL: model.baseURL, MODEL_CONCURRENCY: String(CONCURRENCY), OPENAI_MAX_RETRIES: '0', USER_COOLDOWN_SECONDS: '10' };

    const startupStarted = Date.now();
    manager = spawnSharded(botEnv(fake, dataDir, { ...env, DATABASE_URL: databaseUrl, PAPER_STORE: 'local', SHARD_COUNT: 'auto' }), dataDir);
    await fake.waitForShards(SHARDS, 180_000);
    const startupMs = Date.now() - startupStarted;
    await warmUp(fake, [guildA, guildB].map(({ guildId, channelId }) => ({ guildId, channelId })));
    model.reset();

    const guilds = [guildA, guildB];
    const sent = Array.from({ length: REQUESTS }, (_, i) => {
      const guild = guilds[i % guilds.length]!;
      const user = fake.addUser(`bench-user-${i}`, { guildId: guild.guildId }).id;
      return { guild, interaction: fake.sendSlashCommand({ name: 'ask', options: { question: QUESTIONS[i % QUESTIONS.length] as string }, user, guildId: guild.guildId, channelId: guild.channelId }) };
    });
    const burst = await measureBurst(fake, sent.map((s) => s.interaction), Date.now());
    await manager.waitForLog((line) => line.event === 'command' && line.interactionId === sent.at(-1)?.interaction.id, 30_000, 'the last command log').catch(() => undefined);
    const answeredBy = shardsThatAnswered(manager);
    const onOwnShard = sent.filter((s) => answeredBy.get(s.interaction.id) === s.guild.shard).length;
    const stopCode = await manager.stop(60_000);

    const within = burst.ack.filter((value) => value <= ACK_DEADLINE_MS).length;
    console.log(
      [
        'paperbot sharded bot benchmark',
        `setup: npm run start:sharded (node --import tsx src/bot/start-sharded.ts) with SHARD_COUNT=auto → ${SHARDS} shard processes; bot state in PostgreSQL at ${maskSecrets(SERVER_URL)} (a database of its own);`,
        `       the fake Discord with one guild per shard; fake OpenAI-compatible model, ${MODEL_DELAY_MS} ms per call, MODEL_CONCURRENCY=${CONCURRENCY} per shard;`,
        `       ${REQUESTS} /ask at once, half per guild, from ${REQUESTS} distinct users; USER_COOLDOWN_SECONDS=10; one warm-up /ask per guild, not counted`,
        `start-up (manager checks the database and asks for the shard count; both shards open the index, log in, READY): ${startupMs} ms`,
        `acknowledged (type-5 deferred): ${burst.deferred}/${REQUESTS}, within 3 s: ${within}/${REQUESTS} (target all: ${within === REQUESTS ? 'met' : 'MISSED'})`,
        `ack latency:        p50 ${ms(percentile(burst.ack, 50))}  p95 ${ms(percentile(burst.ack, 95))}  max ${ms(Math.max(...burst.ack))}`,
        `completion latency: p50 ${ms(percentile(burst.completion, 50))}  p95 ${ms(percentile(burst.completion, 95))}  max ${ms(Math.max(...burst.completion))}`,
        `answered: ${burst.answered}/${REQUESTS}${burst.failed ? ` (${burst.failed} failed or timed out)` : ''}; by the shard of their guild: ${onOwnShard}/${REQUESTS}   wall time: ${ms(burst.wallMs)}`,
        `model calls: ${model.chatRequests().length}; max concurrent seen by the fake server: ${model.maxConcurrent} (2 shards × cap ${CONCURRENCY})`,
        `manager exit after SIGTERM: ${stopCode}`,
      ].join('\n'),
    );
    if (burst.answered !== REQUESTS || onOwnShard !== REQUESTS || within !== REQUESTS) process.exitCode = 1;
  } finally {
    await manager?.stop(60_000);
    await fake.close();
    await model.close();
    await rm(dataDir, { recursive: true, force: true });
    await onServer(`DROP DATABASE ${database} WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
