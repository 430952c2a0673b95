import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDiscord, RawMessage } from '../support/fake-discord/index.js';
import type { FakeChatRequest, FakeOpenAIServer } from '../support/fake-openai-server.js';
import { VIDEO_QUESTION, allowedMentionsOf, contentWrites, embedText, hasFinalEmbed, modelReply, type BotProcess, startSpawnedRig, type SpawnedRig } from './bot-harness.js';

// The claim check in Discord, end to end: a real bot process against the fake Discord and the fake model.
// The model's answer restates the VideoMAE V2 abstract in one sentence and makes up a result (with a
// hostile @everyone) in the next; the bot marks the second, and "Show evidence" works after a restart.

const SUPPORTED = 'VideoMAE V2 is a scalable and general self-supervised pre-trainer for video foundation models [1].';
const MADE_UP = 'It reaches 12.5% top-1 accuracy on the Zorblax-7 benchmark, @everyone [1].';

function reply(req: FakeChatRequest): string {
  if (/standalone search query/i.test(req.prompt)) return modelReply(req);
  if (/stance on the claim/i.test(req.prompt)) {
    // The consensus prompt: the first paper supports the claim (its first shown sentence), the others do not say.
    const ns = [...req.prompt.matchAll(/^\[(\d+)\] Title:/gm)].map((m) => Number(m[1]));
    const first = /^\[(1\.\d+)\]/m.exec(req.prompt)?.[1] ?? null;
    const papers = ns.map((n) => (n === 1 ? { n, stance: 'supports', evidence: first } : { n, stance: 'does-not-say', evidence: null }));
    return JSON.stringify({ papers, synthesis: 'Only [1] states it outright; @everyone else is silent.' });
  }
  return `${SUPPORTED} ${MADE_UP}`;
}

let rig: SpawnedRig;
let fake: FakeDiscord;
let model: FakeOpenAIServer;
let bot: BotProcess;
let dataDir: string;

beforeAll(async () => {
  rig = await startSpawnedRig({ reply: reply });
  ({ fake, bot, dataDir } = rig);
  model = rig.model!;
}, 60_000);

afterAll(async () => {
  expect(await rig?.stop()).toBe(0);
});

interface Embed {
  title?: string;
  description?: string;
  footer?: { text: string };
  fields?: { name: string; value: string }[];
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
    expect(await rig.restart()).toBe(0);
    bot = rig.bot;
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

  it('a thread follow-up is checked too: marker, footer and its own "Show evidence" button', async () => {
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
    const thread = await fake.waitUntil(() => fake.threads.get(final.id), 5000, 'the thread');
    const threadId = String(thread.id);
    const followUp = 'And how does VideoMAE V2 train a video ViT with a billion parameters?';
    fake.sendMessage({ channelId: threadId, content: followUp, author: fake.ids.normalUser });
    const answer = await fake.waitUntil(
      () => fake.messagesIn(threadId).find((m) => m.author.id === fake.ids.botUser && embedText(m).includes(followUp) && hasFinalEmbed(m)),
      20_000,
      'the follow-up answer',
    );
    expect(embedsOf(answer).map((e) => e.description ?? '').join('\n')).toContain('Zorblax-7 benchmark, @everyone [1]. ⚠');
    expect(embedsOf(answer).map((e) => e.footer?.text ?? '').join('\n')).toMatch(/⚠ [12] of 2 cited sentences could not be matched to their sources\./);
    const evidenceId = buttonIds(answer).find((id) => id.startsWith('evidence:'));
    const click = fake.sendButton({ customId: evidenceId!, messageId: answer.id });
    const evidence = await fake.waitForOriginal(click.token, (m) => embedsOf(m).length > 0, 10_000);
    expect(embedText(evidence)).toContain('Zorblax-7 benchmark');
  }, 60_000);

  it('an evidence button of an answer no longer on record gets an ephemeral apology', async () => {
    const sent = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
    const click = fake.sendButton({ customId: 'evidence:no-such-answer', messageId: final.id });
    const reply = await fake.waitForOriginal(click.token, (m) => (m.content ?? '').length > 0, 10_000);
    expect(reply.content).toMatch(/no longer on record/);
    expect((reply.flags ?? 0) & 64).toBe(64);
  }, 60_000);
});

const CLAIM = 'continual learning without rehearsal works with prompts';
const buttons = (message: RawMessage) =>
  ((message.components ?? []) as { components?: { custom_id?: string; label?: string; disabled?: boolean }[] }[]).flatMap((row) => row.components ?? []);

describe('/consensus in Discord', () => {
  it('one embed field per paper, 10 per page, page buttons that turn the page; the synthesis pings no one', async () => {
    const calls = model.chatRequests().length;
    const sent = fake.sendSlashCommand({ name: 'consensus', options: { claim: CLAIM } });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(5);
    const first = await fake.waitForOriginal(sent.token, (m) => embedsOf(m).length > 0, 20_000);
    expect(model.chatRequests().length - calls).toBe(1); // one batched call
    const [embed] = embedsOf(first);
    expect(embed!.title).toBe(`Do the papers agree? ${CLAIM}`);
    expect(embed!.description).toContain('Only [1] states it outright; @everyone else is silent.');
    expect(embed!.fields).toHaveLength(10);
    expect(embed!.fields![0]!.name).toMatch(/^\[1\] /);
    expect(embed!.fields![0]!.value).toMatch(/supports[\s\S]*“/);
    expect(embed!.fields![1]!.value).toContain("doesn't say");
    expect(embed!.footer!.text).toMatch(/^Page 1 of 2 · stances judged by a language model$/);
    const next = buttons(first).find((b) => b.label === 'Next ▶');
    expect(next?.disabled).toBe(false);
    for (const write of contentWrites(fake).filter((r) => r.path.includes(sent.token))) expect((allowedMentionsOf(write) as { parse?: unknown }).parse).toEqual([]);

    const click = fake.sendButton({ customId: next!.custom_id!, messageId: first.id });
    expect((await fake.waitForInteractionResponse(click.id, 10_000)).type).toBe(7);
    const second = await fake.waitForOriginal(sent.token, (m) => (embedsOf(m)[0]?.footer?.text ?? '').startsWith('Page 2'), 10_000);
    const fields = embedsOf(second)[0]!.fields!;
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.length).toBeLessThanOrEqual(2);
    expect(fields[0]!.name).toMatch(/^\[11\] /);
    expect(buttons(second).find((b) => b.label === 'Next ▶')?.disabled).toBe(true);
    await bot.waitForLog((l) => l.event === 'consensus' && l.mode === 'llm' && l.pages === 2, 10_000, 'the consensus log line');
  }, 60_000);

  it('a model fault: the evidence offline, labelled; a claim the corpus has nothing on is refused', async () => {
    model.enqueue({ kind: 'status', status: 500 });
    model.enqueue({ kind: 'status', status: 500 });
    model.enqueue({ kind: 'status', status: 500 });
    const sent = fake.sendSlashCommand({ name: 'consensus', options: { claim: 'VideoMAE V2 uses dual masking for efficient video pre-training' } });
    const shown = await fake.waitForOriginal(sent.token, (m) => embedsOf(m).length > 0, 30_000);
    const [embed] = embedsOf(shown);
    expect(embed!.description).toMatch(/could not judge the stances/);
    expect(embed!.fields!.every((f) => f.value.includes('not judged (no model)'))).toBe(true);
    expect(embed!.footer!.text).toBe('stances not judged (no model)');
    expect(buttons(shown)).toEqual([]);

    const none = fake.sendSlashCommand({ name: 'consensus', options: { claim: 'sourdough bread needs a long cold fermentation @everyone' } });
    const refused = await fake.waitForOriginal(none.token, (m) => (m.content ?? '').length > 0, 20_000);
    expect(refused.content).toMatch(/nothing on "sourdough bread/);
    for (const write of contentWrites(fake).filter((r) => r.path.includes(none.token))) expect((allowedMentionsOf(write) as { parse?: unknown }).parse).toEqual([]);
  }, 60_000);
});
