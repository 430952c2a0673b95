import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { startFakeDiscord, type FakeDiscord, type RawMessage } from '../support/fake-discord/index.js';
import { startFakeOpenAIServer, type FakeChatRequest, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { VIDEO_QUESTION, allowedMentionsOf, botEnv, contentWrites, copyDataDir, embedText, hasFinalEmbed, makeIndexedTemplate, modelReply, removeDir, spawnBot, type BotProcess } from './bot-harness.js';

// The claim check in Discord, end to end: a real bot process against the fake Discord and the fake model.
// The model's answer restates the VideoMAE V2 abstract in one sentence and makes up a result (with a
// hostile @everyone) in the next; the bot marks the second, and "Show evidence" works after a restart.

const SUPPORTED = 'VideoMAE V2 is a scalable and general self-supervised pre-trainer for video foundation models [1].';
const MADE_UP = 'It reaches 12.5% top-1 accuracy on the Zorblax-7 benchmark, @everyone [1].';

function reply(req: FakeChatRequest): string {
  if (/standalone search query/i.test(req.prompt)) return modelReply(req);
  return `${SUPPORTED} ${MADE_UP}`;
}

let template: string;
let dataDir: string;
let fake: FakeDiscord;
let model: FakeOpenAIServer;
let bot: BotProcess;

beforeAll(async () => {
  template = await makeIndexedTemplate();
  fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
  model = await startFakeOpenAIServer({ defaultBehavior: { kind: 'reply', text: reply } });
  await deployCommands({ token: fake.token, apiBase: fake.apiBase, guildId: fake.ids.guild });
  dataDir = await copyDataDir(template);
  bot = spawnBot(botEnv(fake, dataDir, { OPENAI_BASE_URL: model.baseURL }), dataDir);
  await bot.waitForReady();
  await fake.waitForReady();
}, 60_000);

afterAll(async () => {
  const code = await bot?.stop();
  await fake?.close();
  await model?.close();
  await removeDir(dataDir);
  await removeDir(template);
  expect(code).toBe(0);
});

interface Embed {
  title?: string;
  description?: string;
  footer?: { text: string };
}
const embedsOf = (message: RawMessage | undefined) => (message?.embeds ?? []) as Embed[];
const buttonIds = (message: RawMessage) => ((message.components ?? []) as { components?: { custom_id?: string }[] }[]).flatMap((row) => row.components ?? []).map((b) => b.custom_id ?? '');

describe('claim check in Discord', () => {
  it('marks the unsupported sentence, says how many could not be matched, and "Show evidence" replies ephemerally — after a restart too', async () => {
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
    const description = embedsOf(final).map((e) => e.description ?? '').join('\n');
    expect(description).toContain('Zorblax-7 benchmark, @everyone [1]. ⚠');
    expect(description).not.toContain('video foundation models [1]. ⚠');
    expect(embedsOf(final).map((e) => e.footer?.text ?? '').join('\n')).toContain('⚠ 1 of 2 cited sentences could not be matched to their sources.');
    const evidenceId = buttonIds(final).find((id) => id.startsWith('evidence:'));
    expect(evidenceId).toBeDefined();
    expect(buttonIds(final).filter((id) => id.startsWith('feedback:'))).toHaveLength(2);

    // A restart: the evidence is recomputed from the stored answer.
    expect(await bot.stop()).toBe(0);
    bot = spawnBot(botEnv(fake, dataDir, { OPENAI_BASE_URL: model.baseURL }), dataDir);
    await bot.waitForReady();

    const click = fake.sendButton({ customId: evidenceId!, messageId: final.id, user: fake.ids.normalUser });
    const ack = await fake.waitForInteractionResponse(click.id, 10_000);
    expect(ack.type).toBe(5);
    expect(((ack.data as { flags?: number } | undefined)?.flags ?? 0) & 64).toBe(64);
    const evidence = await fake.waitForOriginal(click.token, (m) => embedsOf(m).length > 0, 10_000);
    expect((evidence.flags ?? 0) & 64).toBe(64);
    const text = embedText(evidence);
    expect(text).toContain('Evidence for the flagged sentences');
    expect(text).toContain('Zorblax-7 benchmark');
    expect(text).not.toContain('pre-trainer for video foundation models [1]'); // only flagged sentences are listed
    expect(text).toMatch(/Closest in the cited abstract: “[^”]*achieves a new state-of-the-art performance[^”]*90\.0% on K400/);
    expect(text).toContain('[1] VideoMAE V2');
    for (const write of contentWrites(fake).filter((r) => r.path.includes(click.token))) expect((allowedMentionsOf(write) as { parse?: unknown }).parse).toEqual([]);
    await bot.waitForLog((l) => l.event === 'evidence' && l.flagged === 1, 10_000, 'the evidence log line');
  }, 90_000);

  it('an evidence button of an answer no longer on record gets an ephemeral apology', async () => {
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
    const click = fake.sendButton({ customId: 'evidence:no-such-answer', messageId: final.id });
    const reply = await fake.waitForOriginal(click.token, (m) => (m.content ?? '').length > 0, 10_000);
    expect(reply.content).toMatch(/no longer on record/);
    expect((reply.flags ?? 0) & 64).toBe(64);
  }, 60_000);
});
