import { describe, expect, it } from 'vitest';
import { openPostgresStateStores } from '../../src/state/postgres/open-postgres-state-stores.js';
import { addGuild, shardOfGuild, startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { createTestSchema } from '../support/postgres.js';
import { VIDEO_QUESTION, botEnv, copyDataDir, embedText, hasFinalEmbed, modelReply, removeDir, type BotProcess } from './bot-harness.js';
import { shardLogs, spawnSharded, useBotSuite } from './sharded-harness.js';

// `npm run start:sharded` for real: the sharding manager (src/bot/start-sharded.ts, its current source: nodeArgsFor) runs
// one bot process per shard against the fake Discord (two guilds, one per shard), the fake model and
// one PostgreSQL schema.

const suite = useBotSuite();

/** Sends /ask and waits for the final answer; returns the answer message. */
async function ask(fake: FakeDiscord, args: { guildId: string; channelId: string; user: string; question: string }) {
  const sent = fake.sendSlashCommand({ name: 'ask', options: { question: args.question }, guildId: args.guildId, channelId: args.channelId, user: args.user });
  return { sent, final: await fake.waitForOriginal(sent.token, hasFinalEmbed, 60_000) };
}

/** The shard that handled a command, from its `command` log line. */
function shardThatAnswered(manager: BotProcess, interactionId: string): unknown {
  return manager.logs.find((line) => line.event === 'command' && line.interactionId === interactionId)?.shardId;
}

function chatPrompts(model: FakeOpenAIServer, from: number): string[] {
  return model.chatRequests().slice(from).map((r) => JSON.stringify(r.body?.messages ?? []));
}

describe('npm run start:sharded on PostgreSQL', () => {
  it('each shard answers its own guild; a cooldown holds across shards; a missed digest is posted once; a killed shard is respawned and continues its thread', async () => {
    const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000, recommendedShards: 2, maxConcurrency: 2 });
    suite.defer(() => fake.close());
    const shardA = shardOfGuild(fake.ids.guild, 2);
    const shardB = 1 - shardA;
    const guildB = addGuild(fake, { name: 'Second Guild', shard: [shardB, 2] });
    const model = await startFakeOpenAIServer({ defaultBehavior: { kind: 'reply', text: modelReply } });
    suite.defer(() => model.close());
    const schema = await createTestSchema();
    suite.defer(() => schema.drop());
    // A yearly digest whose last slot fell while nobody ran: every shard finds it missed at start-up.
    const seed = await openPostgresStateStores(schema.database());
    await seed.settings.set('digest.activeSince', Date.UTC(2020, 0, 1));
    await seed.close();
    const dataDir = await copyDataDir(suite.template());
    suite.defer(() => removeDir(dataDir));

    const manager = spawnSharded(
      botEnv(fake, dataDir, {
        OPENAI_BASE_URL: model.baseURL,
        DATABASE_URL: schema.url,
        PAPER_STORE: 'local',
        SHARD_COUNT: 'auto',
        USER_COOLDOWN_SECONDS: '600',
        DIGEST_CHANNEL_ID: fake.ids.secondChannel,
        DIGEST_CRON: '0 0 1 1 *',
        DIGEST_TIMEZONE: 'UTC',
        DIGEST_TOPICS: 'video masked autoencoders',
      }),
      dataDir,
    );
    suite.defer(() => manager.stop(60_000));
    for (const shardId of [0, 1]) {
      await manager.waitForLog((line) => line.event === 'digest-scheduled' && line.shardId === shardId, 120_000, `shard ${shardId} to start its digest schedule`);
    }
    await fake.waitForShards(2);
    expect(fake.identifies.map((d) => d.shard).sort()).toEqual([[0, 2], [1, 2]]);
    expect(manager.logs.find((line) => line.event === 'shards-starting')).toMatchObject({ count: 2, recommended: 2 });

    // Each guild's /ask is answered by its own shard.
    const inA = await ask(fake, { guildId: fake.ids.guild, channelId: fake.ids.textChannel, user: fake.ids.adminUser, question: VIDEO_QUESTION });
    const inB = await ask(fake, { guildId: guildB.id, channelId: guildB.textChannel, user: fake.ids.normalUser, question: VIDEO_QUESTION });
    await manager.waitForLog((line) => line.event === 'command' && line.interactionId === inB.sent.id, 20_000, 'the command log of guild B');
    expect(shardThatAnswered(manager, inA.sent.id)).toBe(shardA);
    expect(shardThatAnswered(manager, inB.sent.id)).toBe(shardB);

    // The user who just asked in guild B (shard B) waits in guild A (shard A) too.
    const tooSoon = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION }, user: fake.ids.normalUser });
    const refused = await fake.waitForInteractionResponse(tooSoon.id, 20_000);
    expect((refused.data as { content?: string }).content).toMatch(/^Please wait \d+ s before asking again\.$/);

    // The missed digest slot: posted by exactly one shard, once.
    const outcomes = [0, 1].map((id) => shardLogs(manager, id, 'digest-scheduled')[0]?.missedRun);
    expect(outcomes.filter((outcome) => outcome === 'posted')).toHaveLength(1);
    const state = await openPostgresStateStores(schema.database());
    suite.defer(() => state.close());
    const posted = await state.digests.postedRuns();
    expect(posted).toHaveLength(1);
    const draft = await state.digests.getDraft(posted[0]!.runKey);
    const digestMessages = fake.messagesIn(fake.ids.secondChannel).filter((m) => m.author.id === fake.ids.botUser);
    expect(digestMessages).toHaveLength(draft!.parts.length);
    expect(digestMessages.map((m) => m.id)).toEqual(draft!.parts.map((part) => part.messageId));

    // Kill shard A's process: the manager respawns it, and the thread of guild A's /ask continues there.
    const pid = manager.logs.filter((line) => line.event === 'shard-spawned' && line.shardId === shardA).at(-1)?.pid as number;
    process.kill(pid, 'SIGKILL');
    await manager.waitForLog((line) => line.event === 'shard-died' && line.shardId === shardA, 20_000, 'the manager to see shard A die');
    await manager.waitForLog((line) => line.event === 'digest-scheduled' && line.shardId === shardA && line.pid !== pid, 120_000, 'shard A to be back');
    expect(manager.logs.filter((line) => line.event === 'shard-spawned' && line.shardId === shardA)).toHaveLength(2);
    await fake.waitForShards(2);

    const threadId = String((await fake.waitUntil(() => fake.threads.get(inA.final.id), 5_000, 'the thread of guild A')).id);
    const chatBefore = model.chatRequests().length;
    const followUp = 'How much does it reduce the pre-training cost?';
    // Another member of guild A (both earlier askers are still in their cooldown).
    const carol = fake.addUser('carol');
    fake.sendMessage({ channelId: threadId, content: followUp, author: carol.id });
    const answer = await fake.waitUntil(
      () => fake.messagesIn(threadId).find((m) => m.author.id === fake.ids.botUser && embedText(m).includes(followUp) && hasFinalEmbed(m)),
      60_000,
      'the follow-up answer from the respawned shard',
    );
    expect(embedText(answer)).toContain('[1]');
    expect(chatPrompts(model, chatBefore).some((prompt) => prompt.includes(VIDEO_QUESTION) && prompt.includes(followUp))).toBe(true);
    expect(await state.threads.recentTurns(threadId, 10)).toHaveLength(4);

    // Still exactly one digest, and a clean stop of every shard.
    expect(await state.digests.postedRuns()).toHaveLength(1);
    expect(await manager.stop(60_000)).toBe(0);
    expect(manager.logs.some((line) => line.event === 'shards-stopped')).toBe(true);
  }, 400_000);
});
