import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDiscord, RawMessage } from '../support/fake-discord/index.js';
import { splitIntoDeltas, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import {
  VIDEO_QUESTION,
  allowedMentionsOf,
  contentWrites,
  embedText,
  hasFinalEmbed,
  modelReply,
  type BotProcess,
  startSpawnedRig,
  type SpawnedRig,
} from './bot-harness.js';

// The REAL bot process (`src/bot/start-bot.ts` compiled from the working tree at the start of the run: nodeArgsFor; real discord.js client, real core)
// against the fake Discord (REST + gateway) and the fake OpenAI-compatible server.

let rig: SpawnedRig;
let fake: FakeDiscord;
let model: FakeOpenAIServer;
let bot: BotProcess;

beforeAll(async () => {
  rig = await startSpawnedRig({ reply: modelReply });
  ({ fake, bot } = rig);
  model = rig.model!;
}, 60_000);

afterAll(async () => {
  expect(await rig?.stop()).toBe(0);
});

/** Messages the bot wrote, in every channel and thread. */
function botMessages(): RawMessage[] {
  return [...fake.messages.values()].flat().filter((m) => m.author.id === fake.ids.botUser);
}

async function askAndWait(question: string, user?: string): Promise<{ token: string; id: string; final: RawMessage }> {
  const sent = fake.sendSlashCommand({ name: 'ask', options: { question }, ...(user ? { user } : {}) });
  expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(5);
  const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
  return { token: sent.token, id: sent.id, final };
}

describe('the bot process against the fake Discord and the fake model', () => {
  it('/ask: deferred (the fake refuses a first response after 3 s), streamed previews, a cited final embed with sources, no pings, a thread named after the question', async () => {
    const question = `@everyone ${VIDEO_QUESTION} I would especially like to know about dual masking and billion-parameter video models.`;
    expect(question.length).toBeGreaterThan(100);
    const filler = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const reply = `VideoMAE V2 scales with dual masking [1]. @everyone <@${fake.ids.adminUser}> ${filler}.`;
    // The model streams all but its last two words, then holds those until the bot has shown two previews
    // (of the earlier words: the bot keeps a stream's latest words back for its leak check).
    let finishStream = () => undefined as void;
    const streamHeld = { afterDeltas: splitIntoDeltas(reply).length - 2, until: new Promise<void>((resolve) => (finishStream = resolve)) };
    model.enqueue({ kind: 'reply', text: reply, streamHeld });
    const writesBefore = fake.requests.length;

    const sent = fake.sendSlashCommand({ name: 'ask', options: { question } });
    const callback = await fake.waitForInteractionResponse(sent.id);
    expect(callback.type).toBe(5);

    // Streaming: several previews of @original before the final edit (their pace is tested with a fake clock in edit-throttle.test.ts).
    const previewsSoFar = () =>
      fake.requests.slice(writesBefore).filter((r) => r.method === 'PATCH' && r.path.includes(sent.token) && JSON.stringify(r.body).includes('Writing…'));
    await fake.waitUntil(() => (previewsSoFar().length >= 2 ? true : undefined), 20_000, 'two streamed previews');
    finishStream();

    const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
    const text = embedText(final);
    expect(text).toContain('[1]');
    expect(text).toContain(`<@${fake.ids.adminUser}>`); // the dangerous output was shown…
    expect(text).toMatch(/\[1\] \[VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking\]\(https:\/\/arxiv\.org\//);

    const previews = previewsSoFar();
    expect(previews.length).toBeGreaterThanOrEqual(2);
    const answerId = JSON.stringify(final.components).match(/feedback:up:([\w-]+)/)?.[1];
    const answered = await bot.waitForLog((l) => l.event === 'answer' && l.answerId === answerId, 10_000, 'the answer log line');
    expect(answered.edits).toBe(previews.length + 1);

    // …but pinged no one: every message write on the wire says parse: [] and names nobody.
    const writes = contentWrites(fake);
    expect(writes.length).toBeGreaterThan(previews.length);
    for (const request of writes) {
      const allowed = allowedMentionsOf(request) as { parse?: unknown; users?: unknown[]; roles?: unknown[] } | undefined;
      expect(allowed?.parse, `${request.method} ${request.path}`).toEqual([]);
      expect(allowed?.users ?? []).toEqual([]);
      expect(allowed?.roles ?? []).toEqual([]);
    }
    for (const message of botMessages()) {
      expect(message.mentions).toEqual([]);
      expect(message.mention_everyone).toBe(false);
    }

    // The thread starts from the answer, named after the question (one line, ≤ 100 chars).
    const thread = await fake.waitUntil(() => fake.threads.get(final.id), 5000, 'the thread on the answer');
    const name = String(thread.name);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name.length).toBeGreaterThan(50);
    expect(question.startsWith(name.replace(/…$/, ''))).toBe(true);
  });

  it('autocomplete for /compare: ≤ 25 choices, the fuzzy-matched title first, answered within 3 s (or the fake refuses it)', async () => {
    const sent = fake.sendAutocomplete({ name: 'compare', focused: 'paper_a', value: 'vidoemae scaling' });
    const callback = await fake.waitForInteractionResponse(sent.id);
    expect(callback.type).toBe(8);
    const choices = (callback.data as { choices: { name: string; value: string }[] }).choices;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]!.name).toBe('VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking');

    const empty = fake.sendAutocomplete({ name: 'compare', focused: 'paper_b', value: '', options: { paper_a: choices[0]!.value } });
    const all = ((await fake.waitForInteractionResponse(empty.id)).data as { choices: unknown[] }).choices;
    expect(all.length).toBe(25);
  });

  it('/compare: two papers compared with both cited; an unknown paper gets a clear message naming it', async () => {
    const sent = fake.sendSlashCommand({ name: 'compare', options: { paper_a: 'videomae-v2-scaling-video-masked-9ecaf13c', paper_b: 'ERNIE-Tiny' } });
    expect((await fake.waitForInteractionResponse(sent.id)).type).toBe(5);
    const final = await fake.waitForOriginal(sent.token, hasFinalEmbed, 20_000);
    const text = embedText(final);
    expect(text).toContain('VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking vs ERNIE-Tiny');
    expect(text).toMatch(/\[1\] \[VideoMAE V2/);
    expect(text).toMatch(/\[2\] \[ERNIE-Tiny/);

    const unknown = fake.sendSlashCommand({ name: 'compare', options: { paper_a: 'VideoMAE V2', paper_b: 'Quantum Basket Weaving Networks' } });
    const reply = await fake.waitForInteractionResponse(unknown.id);
    expect(reply.type).toBe(4);
    const data = reply.data as { content: string; flags: number };
    expect(data.flags & 64).toBe(64); // ephemeral
    expect(data.content).toContain('"Quantum Basket Weaving Networks"');
  });

  it('thread follow-up: answered with the earlier turns in the prompt; messages of bots and its own are ignored', async () => {
    const question = 'What is dual masking in VideoMAE V2?';
    model.enqueue({ kind: 'reply', text: 'Dual masking masks both encoder and decoder tokens [1]. FIRST-ANSWER-MARKER.' });
    const { final } = await askAndWait(question);
    const thread = await fake.waitUntil(() => fake.threads.get(final.id), 5000, 'the thread');
    const threadId = String(thread.id);
    const chatBefore = model.chatRequests().length;

    const otherBot = fake.addUser('otherbot', { bot: true });
    fake.sendMessage({ channelId: threadId, content: 'BOT-NOISE: answer me too', author: otherBot.id });
    const followUp = 'How much does it reduce the pre-training cost?';
    fake.sendMessage({ channelId: threadId, content: followUp, author: fake.ids.normalUser });
    const answer = await fake.waitUntil(
      () => fake.messagesIn(threadId).find((m) => m.author.id === fake.ids.botUser && embedText(m).includes(followUp) && hasFinalEmbed(m)),
      20_000,
      'the follow-up answer in the thread',
    );
    expect(embedText(answer)).toContain('[1]');

    const requests = model.chatRequests().slice(chatBefore);
    const prompts = requests.map((r) => JSON.stringify(r.body?.messages ?? []));
    expect(prompts.length).toBe(2); // condense the follow-up + answer it; nothing for the bots' messages
    expect(prompts.some((p) => p.includes(question) && p.includes('FIRST-ANSWER-MARKER') && p.includes(followUp))).toBe(true);
    expect(prompts.every((p) => !p.includes('BOT-NOISE'))).toBe(true);

    // A second human message: answered in turn, and still nothing started by the bot's own (echoed) messages.
    const second = 'And who proposed it?';
    fake.sendMessage({ channelId: threadId, content: second, author: fake.ids.adminUser });
    await fake.waitUntil(
      () => fake.messagesIn(threadId).find((m) => m.author.id === fake.ids.botUser && embedText(m).includes(second) && hasFinalEmbed(m)),
      20_000,
      'the second follow-up answer',
    );
    expect(model.chatRequests().length - chatBefore).toBe(4);
    expect(fake.messagesIn(threadId).filter((m) => m.author.id === fake.ids.botUser)).toHaveLength(2);
    const lastPrompt = JSON.stringify(model.chatRequests().at(-1)!.body?.messages);
    expect(lastPrompt).toContain(followUp); // the first follow-up is now history too
  });

  it('gateway drops (4000 and an abrupt 1006) → the session RESUMEs and the bot keeps answering', async () => {
    for (const code of [4000, 1006]) {
      const resumes = fake.resumes.length;
      const identifies = fake.identifies.length;
      fake.closeGateway(code);
      await fake.waitUntil(() => (fake.resumes.length > resumes && fake.gateway.hasLiveSession() ? true : undefined), 20_000, `a RESUME after ${code}`);
      expect(fake.identifies.length).toBe(identifies);
      const { final } = await askAndWait(VIDEO_QUESTION);
      expect(embedText(final)).toContain('[1]');
    }
  });
});
