import path from 'node:path';
import { parse } from '@retorquere/bibtex-parser';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateDatabasePath } from '../../src/state/sqlite/open-state-database.js';
import type { FakeDiscord, RawMessage } from '../support/fake-discord/index.js';
import type { FakeChatRequest, FakeOpenAIServer } from '../support/fake-openai-server.js';
import { runCliInProcess } from '../support/run-cli.js';
import { VIDEO_QUESTION, embedText, hasFinalEmbed, modelReply, type BotProcess, startSpawnedRig, type SpawnedRig } from './bot-harness.js';

// The research workflow end to end: a REAL bot process against the fake Discord and the fake model.

let rig: SpawnedRig;
let fake: FakeDiscord;
let model: FakeOpenAIServer;
let bot: BotProcess;
let dataDir: string;

beforeAll(async () => {
  // Catch-up prompts get a summary citing the thread's [1] and a made-up [99]; everything else the harness's answers.
  const reply = (req: FakeChatRequest) => (req.prompt.includes('<exchanges>') ? '- Dual masking was asked about: VideoMAE V2 masks the decoder too [1], see also [99].' : modelReply(req));
  rig = await startSpawnedRig({ reply: reply, readyTimeoutMs: 45_000 });
  ({ fake, bot, dataDir } = rig);
  model = rig.model!;
}, 90_000);

afterAll(async () => {
  expect(await rig?.stop()).toBe(0);
});

function buttonIds(message: RawMessage | undefined): string[] {
  const rows = (message?.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((row) => row.components ?? []).map((c) => c.custom_id ?? '');
}

interface Attachment {
  id: string;
  filename: string;
  size: number;
}
const attachmentsOf = (message: RawMessage | undefined) => (message?.attachments ?? []) as unknown as Attachment[];
const isEphemeral = (message: RawMessage | undefined) => ((message?.flags ?? 0) & 64) === 64;

/** An /ask in the text channel, its final answer and the thread opened on it. */
async function askInChannel(question: string): Promise<{ final: RawMessage; threadId: string }> {
  const sent = fake.sendSlashCommand({ name: 'ask', options: { question } });
  const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
  const thread = await fake.waitUntil(() => fake.threads.get(final.id), 5000, 'the thread on the answer');
  return { final, threadId: String(thread.id) };
}

/** A follow-up in a thread and the bot's final answer to it. */
async function followUp(threadId: string, content: string, author = fake.ids.normalUser): Promise<RawMessage> {
  fake.sendMessage({ channelId: threadId, content, author });
  return fake.waitUntil(
    () => fake.messagesIn(threadId).find((m) => m.author.id === fake.ids.botUser && embedText(m).includes(content) && hasFinalEmbed(m)),
    20_000,
    'the follow-up answer',
  );
}

describe('export sources', () => {
  let threadId: string;
  let final: RawMessage;

  it('"Sources" on an answer: an ephemeral reply with a .bib and a .md attachment; the BibTeX parses back to the cited papers', async () => {
    ({ final, threadId } = await askInChannel(VIDEO_QUESTION));
    const sourcesId = buttonIds(final).find((id) => id.startsWith('sources:'));
    expect(sourcesId).toBeDefined();
    const click = fake.sendButton({ customId: sourcesId!, messageId: final.id, user: fake.ids.normalUser });
    const reply = await fake.waitForOriginal(click.token, (m) => attachmentsOf(m).length > 0, 10_000);
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.content).toMatch(/^\d+ papers? cited in this answer/);
    const files = attachmentsOf(reply);
    expect(files.map((f) => f.filename)).toEqual(['answer-sources.bib', 'answer-sources.md']);
    for (const file of files) expect(file.size).toBeGreaterThan(0);
    const library = parse(fake.attachmentText(files[0]!.id), { sentenceCase: false });
    expect(library.errors).toEqual([]);
    const titles = library.entries.map((entry) => entry.fields.title);
    expect(titles).toContain('VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking');
    for (const title of titles) expect(embedText(final)).toContain(String(title).slice(0, 40));
    expect(fake.attachmentText(files[1]!.id)).toMatch(/^# Sources of the answer\n\n1\. \[/);
  });

  it('/export in the thread: every paper cited by the first answer and the follow-ups, deduplicated, as attachments only the caller sees', async () => {
    const second = await followUp(threadId, 'And what about rehearsal-free continual learning with prompts?');
    const sent = fake.sendSlashCommand({ name: 'export', channelId: threadId, options: { format: 'bib' } });
    const reply = await fake.waitForOriginal(sent.token, (m) => attachmentsOf(m).length > 0, 10_000);
    expect(isEphemeral(reply)).toBe(true);
    const [file] = attachmentsOf(reply);
    expect(file!.filename).toBe(`thread-${threadId}-sources.bib`);
    const library = parse(fake.attachmentText(file!.id), { sentenceCase: false });
    expect(library.errors).toEqual([]);
    const titles = library.entries.map((entry) => String(entry.fields.title));
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles).toContain('VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking');
    expect(titles.some((title) => embedText(second).includes(title.slice(0, 40)) && !embedText(final).includes(title.slice(0, 40)))).toBe(true);
    expect((reply as { content?: string }).content).toContain(`${titles.length} papers cited in this thread`);
  });

  it('/export outside a bot thread: an ephemeral explanation, no file', async () => {
    const sent = fake.sendSlashCommand({ name: 'export' });
    const reply = await fake.waitForOriginal(sent.token, (m) => Boolean(m.content), 10_000);
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.content).toContain('Use /export inside a thread I started');
    expect(attachmentsOf(reply)).toEqual([]);
  });
});

describe('coverage gaps', () => {
  it('refused questions are logged without the asker\'s id; /gaps lists the missing topic for an admin, refuses a member', async () => {
    const questions = ['What is the best sourdough bread recipe with rye flour?', 'Sourdough bread hydration for rye flour loaves?'];
    for (const [i, question] of questions.entries()) {
      const sent = fake.sendSlashCommand({ name: 'ask', options: { question }, user: i === 0 ? fake.ids.normalUser : fake.ids.adminUser });
      await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
      await bot.waitForLog((l) => l.event === 'coverage-gap' && l.refused === true && l.command === 'ask', 10_000, 'the gap to be logged');
    }

    const refused = fake.sendSlashCommand({ name: 'gaps', user: fake.ids.normalUser });
    const reply = await fake.waitForInteractionResponse(refused.id);
    expect(reply.type).toBe(4);
    expect((reply.data as { content: string; flags: number }).flags & 64).toBe(64);
    expect((reply.data as { content: string }).content).toMatch(/Manage Server/);

    const sent = fake.sendSlashCommand({ name: 'gaps', user: fake.ids.adminUser, options: { days: 7 } });
    const shown = await fake.waitForOriginal(sent.token, (m) => embedText(m).includes('Coverage gaps'), 10_000);
    expect(isEphemeral(shown)).toBe(true);
    const text = embedText(shown);
    expect(text).toContain('2 questions in the last 7 days were refused or answered without sources');
    expect(text).toMatch(/(rye flour|sourdough bread) — 2 \(2 people\)/);
    expect(text).toContain(questions[1]);

    // Privacy, on the bot's own database: the gap tables hold no user id, only salted hashes.
    const db = new Database(stateDatabasePath(path.join(dataDir, 'state')), { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM coverage_gaps').all() as Record<string, unknown>[];
      expect(rows.map((row) => row.question)).toEqual(expect.arrayContaining(questions));
      const stored = JSON.stringify([rows, db.prepare('SELECT * FROM coverage_gap_salt').all()]);
      for (const id of [fake.ids.normalUser, fake.ids.adminUser]) expect(stored).not.toContain(id);
      expect(new Set(rows.map((row) => row.user_hash)).size).toBe(2);
    } finally {
      db.close();
    }
  });
});

describe('👎 becomes a regression test', () => {
  it('after a 👎 an ephemeral menu asks which paper should have answered; the choice is exported as an eval question', async () => {
    const question = 'Which method uses complementary prompts for rehearsal-free continual learning?';
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question } });
    const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
    const down = buttonIds(final).find((id) => id.startsWith('feedback:down:'))!;
    const click = fake.sendButton({ customId: down, messageId: final.id, user: fake.ids.normalUser });
    const ack = await fake.waitForInteractionResponse(click.id, 10_000);
    expect(ack.type).toBe(4);
    const data = ack.data as { content: string; flags: number; components: { components: { type: number; custom_id: string; options: { label: string; value: string }[] }[] }[] };
    expect(data.flags & 64).toBe(64);
    expect(data.content).toContain('👎');
    const menu = data.components[0]!.components[0]!;
    expect(menu.type).toBe(3);
    expect(menu.options.length).toBeGreaterThan(0);
    expect(menu.options.length).toBeLessThanOrEqual(25);
    for (const option of menu.options) expect(option.label.length).toBeLessThanOrEqual(100);
    const chosen = menu.options.find((option) => option.label.startsWith('DualPrompt'))!;
    expect(chosen).toBeDefined();

    const ephemeralId = fake.interactions.get(click.id)!.originalMessageId!;
    const select = fake.sendSelect({ customId: menu.custom_id, messageId: ephemeralId, values: [chosen.value], user: fake.ids.normalUser });
    const update = await fake.waitForInteractionResponse(select.id, 10_000);
    expect(update.type).toBe(7);
    expect((update.data as { content: string }).content).toContain('regression test');

    const run = await runCliInProcess(['feedback', '--export', '--as-eval'], { env: { PAPERBOT_DATA_DIR: dataDir } });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { question: string; expected: string[]; kind: string });
    expect(lines).toContainEqual(expect.objectContaining({ question, expected: [chosen.label], kind: 'feedback' }));
  });
});

describe('catch me up', () => {
  it('/catchup and the 🧵 button in a thread: an ephemeral summary written by the model from the exchanges, citations checked, sources listed', async () => {
    const { final, threadId } = await askInChannel('What is dual masking in VideoMAE V2?');
    const second = 'How does DualPrompt avoid rehearsal in continual learning?';
    const answer = await followUp(threadId, second, fake.ids.adminUser);

    const before = model.chatRequests().length;
    const sent = fake.sendSlashCommand({ name: 'catchup', channelId: threadId });
    const reply = await fake.waitForOriginal(sent.token, (m) => embedText(m).includes('Catch-up'), 10_000);
    expect(isEphemeral(reply)).toBe(true);
    const [embed] = reply.embeds as { title: string; description: string; fields: { name: string; value: string }[]; footer: { text: string } }[];
    expect(embed!.title).toBe('Catch-up: What is dual masking in VideoMAE V2?');
    expect(embed!.description).toMatch(/^\*2 questions so far\.\*\n\n\S/);
    expect(embed!.footer.text).toMatch(/^Written by the language model/);
    const prompts = model.chatRequests().slice(before).map((r) => JSON.stringify(r.body));
    expect(prompts.some((p) => p.includes('<exchanges>') && p.includes('What is dual masking in VideoMAE V2?') && p.includes(second))).toBe(true);
    expect(embed!.fields[0]!.name).toBe('Sources');
    expect(embed!.fields[0]!.value).toMatch(/^\[1\] \[VideoMAE V2/);
    // Every [k] in the summary names a listed source.
    const listed = new Set([...embed!.fields[0]!.value.matchAll(/^\[(\d+)\]/gm)].map((m) => m[1]));
    const markers = [...embed!.description.matchAll(/\[(\d+)\](?!\()/g)];
    expect(markers.length).toBeGreaterThan(0);
    expect(embed!.description).toContain('masks the decoder too [1], see also .');
    for (const marker of markers) expect(listed.has(marker[1])).toBe(true);

    const catchUpId = buttonIds(answer).find((id) => id.startsWith('catchup:'))!;
    const click = fake.sendButton({ customId: catchUpId, messageId: answer.id, user: fake.ids.normalUser });
    const viaButton = await fake.waitForOriginal(click.token, (m) => embedText(m).includes('Catch-up'), 10_000);
    expect(isEphemeral(viaButton)).toBe(true);
    expect(viaButton.embeds).toEqual(reply.embeds);
    expect(buttonIds(final).some((id) => id.startsWith('catchup:'))).toBe(true);

    // The model down: the extractive catch-up — who asked what, the gist of each answer — says so.
    for (let i = 0; i < 3; i++) model.enqueue({ kind: 'status', status: 500 });
    const offline = fake.sendSlashCommand({ name: 'catchup', channelId: threadId });
    const fallback = await fake.waitForOriginal(offline.token, (m) => embedText(m).includes('Catch-up'), 20_000);
    const [extract] = fallback.embeds as { description: string; footer: { text: string } }[];
    expect(extract!.footer.text).toContain('The model was unavailable: quoted from the answers.');
    expect(extract!.description).toMatch(/^\*2 questions so far\.\*\n\n1\. \*\*.+\*\* asked “What is dual masking in VideoMAE V2\?” — .+\[1\]/);
    expect(extract!.description).toContain(`asked “${second}”`);

    const outside = fake.sendSlashCommand({ name: 'catchup' });
    const refused = await fake.waitForOriginal(outside.token, (m) => Boolean(m.content), 10_000);
    expect(isEphemeral(refused)).toBe(true);
    expect(refused.content).toContain('Catch me up works in threads I started');
  });
});
