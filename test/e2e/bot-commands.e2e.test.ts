import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { startFakeDiscord, type FakeDiscord, type RawMessage, type RecordedRequest } from '../support/fake-discord/index.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { loadTestCorpus } from '../support/load-test-corpus.js';
import { runCliInProcess } from '../support/run-cli.js';
import {
  VIDEO_QUESTION,
  allowedMentionsOf,
  botEnv,
  contentWrites,
  copyDataDir,
  embedText,
  hasFinalEmbed,
  makeIndexedTemplate,
  modelReply,
  removeDir,
  spawnBot,
  type BotProcess,
} from './bot-harness.js';

// More commands end to end: two REAL bot processes, each against its own fake Discord —
// one with the fake model (OPENAI_BASE_URL) and a digest channel, one with no model at all.

const VIDEO_TITLE = 'VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking';
const VIDEO_ID = 'videomae-v2-scaling-video-masked-9ecaf13c';

interface Running {
  fake: FakeDiscord;
  bot: BotProcess;
  dataDir: string;
}

let template: string;
let model: FakeOpenAIServer;
let withModel: Running;
let offline: Running;

async function startBot(extra: Record<string, string>, perFake: (fake: FakeDiscord) => Record<string, string> = () => ({})): Promise<Running> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
  await deployCommands({ token: fake.token, apiBase: fake.apiBase, guildId: fake.ids.guild });
  const dataDir = await copyDataDir(template);
  const bot = spawnBot(botEnv(fake, dataDir, { ...extra, ...perFake(fake) }), dataDir);
  return { fake, bot, dataDir };
}

beforeAll(async () => {
  template = await makeIndexedTemplate();
  model = await startFakeOpenAIServer({ defaultBehavior: { kind: 'reply', text: modelReply } });
  withModel = await startBot({ OPENAI_BASE_URL: model.baseURL, DIGEST_TOPICS: 'video masked autoencoders' }, (fake) => ({ DIGEST_CHANNEL_ID: fake.ids.secondChannel }));
  offline = await startBot({});
  await Promise.all([withModel.bot.waitForReady(45_000), offline.bot.waitForReady(45_000)]);
  await Promise.all([withModel.fake.waitForReady(), offline.fake.waitForReady()]);
}, 90_000);

afterAll(async () => {
  const codes = await Promise.all([withModel?.bot.stop(), offline?.bot.stop()]);
  for (const running of [withModel, offline]) {
    await running?.fake.close();
    if (running) await removeDir(running.dataDir);
  }
  await model?.close();
  await removeDir(template);
  expect(codes).toEqual([0, 0]);
});

/** Every message write for one interaction token. */
function writesFor(fake: FakeDiscord, token: string): RecordedRequest[] {
  return contentWrites(fake).filter((r) => r.path.includes(token));
}

function expectNoPings(writes: RecordedRequest[]): void {
  expect(writes.length).toBeGreaterThan(0);
  for (const request of writes) expect((allowedMentionsOf(request) as { parse?: unknown } | undefined)?.parse, `${request.method} ${request.path}`).toEqual([]);
}

function isEphemeral(message: { flags?: number } | undefined): boolean {
  return ((message?.flags ?? 0) & 64) === 64;
}

/** The feedback buttons' custom ids on a message. */
function feedbackIds(message: RawMessage | undefined): { up?: string; down?: string } {
  const rows = (message?.components ?? []) as { components?: { custom_id?: string }[] }[];
  const ids = rows.flatMap((row) => row.components ?? []).map((c) => c.custom_id ?? '');
  return { up: ids.find((id) => id.startsWith('feedback:up:')), down: ids.find((id) => id.startsWith('feedback:down:')) };
}

function threadPosts(fake: FakeDiscord, since: number): RecordedRequest[] {
  return fake.requests.slice(since).filter((r) => r.method === 'POST' && /\/threads$/.test(r.path));
}

describe('the bot with a model', () => {
  it('/ask where the bot may not create threads: answered inline, an ephemeral note says why, no thread', async () => {
    const { fake } = withModel;
    fake.setPermissions({ channelId: fake.ids.textChannel, createThreads: false });
    try {
      const before = fake.requests.length;
      const sent = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
      expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(5);
      const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
      expect(embedText(final)).toContain('[1]');
      expect(isEphemeral(final)).toBe(false);
      const note = await fake.waitUntil(() => fake.followUps(sent.token).find((m) => /thread/i.test(m.content)), 10_000, 'the no-thread note');
      expect(isEphemeral(note)).toBe(true);
      expect(note.content).toMatch(/couldn't start a thread/i);
      expect(note.content).toMatch(/permission/i);
      // The bot tried and Discord refused; no thread exists on the answer.
      const attempts = threadPosts(fake, before);
      expect(attempts.length).toBe(1);
      expect(attempts[0]!.status).toBe(403);
      expect(fake.threads.get(final.id)).toBeUndefined();
      expect([...fake.threads.values()].filter((t) => t.parent_id === fake.ids.textChannel)).toHaveLength(0);
      expectNoPings(writesFor(fake, sent.token));
    } finally {
      fake.setPermissions({ channelId: fake.ids.textChannel, createThreads: true });
    }
  });

  it('/ask in a DM: answered inline with a note, no thread attempted', async () => {
    const { fake } = withModel;
    const before = fake.requests.length;
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION }, dm: true });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(5);
    const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
    expect(final.channel_id).toBe(fake.dmChannelFor(fake.ids.normalUser).id);
    expect(embedText(final)).toContain('[1]');
    expect(embedText(final)).toMatch(/Follow-up questions work in server channels/);
    await withModel.bot.waitForLog((l) => l.event === 'command' && l.command === 'ask' && l.interactionId === sent.id, 10_000, 'the DM /ask to finish');
    expect(threadPosts(fake, before)).toHaveLength(0);
    expect(fake.threads.get(final.id)).toBeUndefined();
    expectNoPings(writesFor(fake, sent.token));
  });

  it('/search with a model configured still asks the model nothing', async () => {
    const { fake } = withModel;
    const modelRequests = model.requests.length;
    const sent = fake.sendSlashCommand({ name: 'search', options: { query: 'video masked autoencoders' } });
    const reply = await fake.waitForOriginal(sent.token, (m) => embedText(m).includes('Search:'), 20_000);
    expect(embedText(reply)).toContain(VIDEO_TITLE);
    expect(model.requests.length).toBe(modelRequests);
  });

  it('feedback: 👎 then 👍 by the same user are acknowledged; the CLI export has one "up" line with question, answer and sources', async () => {
    const { fake, bot, dataDir } = withModel;
    const question = 'What is dual masking in VideoMAE V2?';
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question } });
    const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
    const { up, down } = feedbackIds(final);
    expect(up).toBeDefined();
    expect(down).toBeDefined();

    for (const [customId, emoji] of [[down!, '👎'], [up!, '👍']] as const) {
      const click = fake.sendButton({ customId, messageId: final.id, user: fake.ids.normalUser });
      const ack = await fake.waitForInteractionResponse(click.id, 10_000);
      expect(ack.type).toBe(4);
      const data = ack.data as { content: string; flags: number; allowed_mentions?: { parse?: unknown } };
      expect(data.flags & 64).toBe(64);
      expect(data.content).toContain(emoji);
      expect(data.content).toMatch(/recorded/);
      expect(data.allowed_mentions?.parse).toEqual([]);
    }
    const answerId = up!.slice('feedback:up:'.length);
    await bot.waitForLog((l) => l.event === 'feedback' && l.answerId === answerId && l.vote === 'up', 10_000, 'the 👍 to be stored');

    const run = await runCliInProcess(['feedback', '--export'], { env: { PAPERBOT_DATA_DIR: dataDir } });
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { answerId: string; userId: string; vote: string; question: string; answer: string; sources: { n: number; title: string; url: string }[] });
    const mine = rows.filter((row) => row.userId === fake.ids.normalUser && row.answerId === answerId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.vote).toBe('up');
    expect(mine[0]!.question).toBe(question);
    expect(mine[0]!.answer).toMatch(/\[1\]/);
    expect(embedText(final)).toContain(mine[0]!.answer.slice(0, 60));
    expect(mine[0]!.sources.length).toBeGreaterThan(0);
    expect(mine[0]!.sources[0]).toMatchObject({ n: 1, title: expect.any(String), url: expect.stringMatching(/^https:\/\//) });
    expect(embedText(final)).toContain(mine[0]!.sources[0]!.title);
  });

  it('/digest now: refused for a member without Manage Server; posted to DIGEST_CHANNEL_ID for the admin', async () => {
    const { fake } = withModel;
    const refused = fake.sendSlashCommand({ name: 'digest', options: [{ name: 'now', type: 1 }], user: fake.ids.normalUser });
    const reply = await fake.waitForInteractionResponse(refused.id);
    expect(reply.type).toBe(4);
    const data = reply.data as { content: string; flags: number };
    expect(data.flags & 64).toBe(64);
    expect(data.content).toMatch(/Manage Server/);
    expect(fake.messagesIn(fake.ids.secondChannel)).toHaveLength(0);

    const accepted = fake.sendSlashCommand({ name: 'digest', options: [{ name: 'now', type: 1 }], user: fake.ids.adminUser });
    expect((await fake.waitForInteractionResponse(accepted.id)).type).toBe(5);
    const done = await fake.waitForOriginal(accepted.token, (m) => m.content.length > 0, 20_000);
    expect(isEphemeral(done)).toBe(true);
    expect(done.content).toContain(`Posted the digest on “video masked autoencoders” to <#${fake.ids.secondChannel}>`);
    const posted = fake.messagesIn(fake.ids.secondChannel).filter((m) => m.author.id === fake.ids.botUser);
    expect(posted.length).toBeGreaterThan(0);
    expect(embedText(posted[0])).toContain('Weekly digest: video masked autoencoders');
    expect(embedText(posted[0])).toMatch(/\[1\]/);
  });

  it('a ~9,000-character answer: every message within Discord limits, all the text delivered in order, no pings', async () => {
    const { fake } = withModel;
    const sentences = Array.from(
      { length: 80 },
      (_, i) => `Sentence ${i + 1} explains how VideoMAE V2 scales video pre-training with dual masking and a billion parameters [${(i % 2) + 1}].`,
    );
    const paragraphs: string[] = [];
    for (let i = 0; i < sentences.length; i += 8) paragraphs.push(sentences.slice(i, i + 8).join(' '));
    const longText = paragraphs.join('\n\n');
    expect(longText.length).toBeGreaterThan(8500);
    expect(longText.length).toBeLessThan(10_000);
    model.setDefault({ kind: 'reply', text: (req) => (/standalone search query/i.test(req.prompt) ? modelReply(req) : longText) });
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    try {
      // The last message carries the feedback buttons.
      await fake.waitUntil(() => fake.followUps(sent.token).find((m) => feedbackIds(m).up !== undefined), 30_000, 'the last part of the long answer');
    } finally {
      model.setDefault({ kind: 'reply', text: modelReply });
    }
    const original = fake.getOriginal(sent.token)!;
    const messages = [original, ...fake.followUps(sent.token)];
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.flatMap((m) => (m.embeds ?? []) as unknown[]).length).toBeGreaterThanOrEqual(3); // 9,000 chars need ≥ 3 descriptions

    // Every write on the wire (previews, final edit, follow-ups) within the limits, pinging no one.
    const writes = writesFor(fake, sent.token);
    expectNoPings(writes);
    for (const request of writes) {
      const body = (/\/callback$/.test(request.path) ? (request.body as { data?: unknown }).data : request.body) as
        | { content?: string; embeds?: { title?: string; description?: string; footer?: { text: string }; fields?: { name: string; value: string }[] }[] }
        | undefined;
      const embeds = body?.embeds ?? [];
      expect((body?.content ?? '').length).toBeLessThanOrEqual(2000);
      expect(embeds.length).toBeLessThanOrEqual(10);
      let total = 0;
      for (const embed of embeds) {
        expect((embed.description ?? '').length).toBeLessThanOrEqual(4096);
        total += (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text.length ?? 0);
        for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
      }
      expect(total).toBeLessThanOrEqual(6000);
    }

    // All the text, in order, across the messages (modulo whitespace and the claim check's ⚠ markers).
    const delivered = messages
      .flatMap((m) => (m.embeds ?? []) as { description?: string }[])
      .map((e) => (e.description ?? '').replaceAll(' ⚠', ''))
      .join(' ');
    const squash = (s: string) => s.replace(/\s+/g, '');
    expect(squash(delivered)).toBe(squash(longText));
    const last = messages.at(-1)!;
    expect(embedText(last)).toMatch(/Sources/);
    expect(embedText(last)).toContain(VIDEO_TITLE);
  });
});

describe('the bot with no model configured', () => {
  it('starts without a language model', async () => {
    const ready = await offline.bot.waitForReady();
    expect(ready.llm).toBe(false);
  });

  it('/search lists linked titles, and nothing reaches a model server', async () => {
    const { fake } = offline;
    const modelRequests = model.requests.length;
    const sent = fake.sendSlashCommand({ name: 'search', options: { query: 'scaling video masked autoencoders', count: 5 } });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(5);
    const reply = await fake.waitForOriginal(sent.token, (m) => embedText(m).includes('Search:'), 20_000);
    const description = ((reply.embeds ?? []) as { description?: string }[]).map((e) => e.description ?? '').join('\n');
    const links = [...description.matchAll(/^\d+\. \[([^\]]+)\]\((https:\/\/[^)]+)\)/gm)];
    expect(links.length).toBe(5);
    expect(links.map((l) => l[1])).toContain(VIDEO_TITLE);
    expect(isEphemeral(reply)).toBe(false);
    expect(model.requests.length).toBe(modelRequests);
    expectNoPings(writesFor(fake, sent.token));
  });

  it('/paper by id and by title: title, abstract and link; an unknown paper gets a clear ephemeral message', async () => {
    const { fake } = offline;
    const paper = loadTestCorpus().find((p) => p.title === VIDEO_TITLE)!;
    expect(paper).toBeDefined();
    for (const input of [VIDEO_ID, VIDEO_TITLE]) {
      const sent = fake.sendSlashCommand({ name: 'paper', options: { paper: input } });
      // Acknowledged in public (the abstract may come from the database), then the paper.
      const ack = await fake.waitForInteractionResponse(sent.id);
      expect(ack.type).toBe(5);
      expect(((ack.data as { flags?: number } | undefined)?.flags ?? 0) & 64).toBe(0);
      const shown = await fake.waitForOriginal(sent.token, (m) => m.embeds.length > 0);
      expect(shown.embeds[0]!.title).toBe(VIDEO_TITLE);
      expect(shown.embeds[0]!.description).toContain(paper.abstract.slice(0, 200));
      expect(shown.embeds[0]!.url).toMatch(/^https:\/\/arxiv\.org\//);
      expect(shown.mentions).toEqual([]);
    }
    const unknown = fake.sendSlashCommand({ name: 'paper', options: { paper: 'Quantum Basket Weaving Networks' } });
    const reply = await fake.waitForInteractionResponse(unknown.id);
    expect(reply.type).toBe(4);
    const data = reply.data as { content: string; flags: number };
    expect(data.flags & 64).toBe(64);
    expect(data.content).toContain('"Quantum Basket Weaving Networks"');
  });

  it('a storm of 6,000-character autocompletes around a /search: the /search is acknowledged and answered, every autocomplete answered from its first 100 characters, no 10062', async () => {
    const { fake } = offline;
    const before = fake.requests.length;
    const hostile = (i: number) => `VideoMAE V2 scaling video masked autoencoders ${'with dual masking and more words '.repeat(190)}${i}`.slice(0, 6_000);
    // Each from its own user: a user's older autocompletes still waiting are dropped on purpose.
    const storm = (from: number) =>
      Array.from({ length: 12 }, (_, i) => {
        const user = fake.addUser(`typist-${from + i}`).id;
        const value = hostile(from + i);
        return i % 2 ? fake.sendAutocomplete({ name: 'paper', focused: 'paper', value, user }) : fake.sendAutocomplete({ name: 'compare', focused: 'paper_a', value, user });
      });
    const first = storm(0);
    const search = fake.sendSlashCommand({ name: 'search', options: { query: 'video masked autoencoders' } });
    const second = storm(100);

    expect((await fake.waitForInteractionResponse(search.id, 10_000)).type).toBe(5);
    const results = await fake.waitForOriginal(search.token, (m) => embedText(m).includes('Search:'), 20_000);
    expect(embedText(results)).toContain(VIDEO_TITLE);
    for (const sent of [...first, ...second]) {
      expect((await fake.waitForInteractionResponse(sent.id, 10_000)).type).toBe(8);
      expect(fake.interactions.get(sent.id)?.autocompleteChoices?.[0]).toMatchObject({ name: VIDEO_TITLE });
    }
    const refused = fake.requests.slice(before).filter((r) => r.path.endsWith('/callback') && r.status === 404);
    expect(refused).toEqual([]);
  });

  it('/digest now by the admin with no digest channel configured: a clear ephemeral message, nothing posted', async () => {
    const { fake } = offline;
    const before = fake.requests.length;
    const sent = fake.sendSlashCommand({ name: 'digest', options: [{ name: 'now', type: 1 }], user: fake.ids.adminUser });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(5);
    const told = await fake.waitForOriginal(sent.token, (m) => m.content.length > 0, 10_000);
    expect(isEphemeral(told)).toBe(true);
    expect(told.content).toMatch(/No digest channel is set.*\/digest channel/);
    expect(fake.requests.slice(before).filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path))).toHaveLength(0);
  });
});
