import type { Client, Message } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { CONTEXT_LOST, answerFollowUp, shouldAnswerFollowUp, stripBotMention } from '../../src/bot/answer-follow-up.js';
import { GENERIC_APOLOGY } from '../../src/errors.js';
import { createFakePaperbot } from '../support/fake-paperbot.js';
import { testContext } from './fake-interactions.js';

const BOT = '100000000000000001';
const THREAD = '600000000000000001';

function fakeMessage(options: { content: string; authorId?: string; bot?: boolean; channelId?: string; mentionsBot?: boolean; name?: string; threadOwner?: string }) {
  const sent: { kind: string; payload: any }[] = [];
  const message = {
    id: String(Math.random()),
    content: options.content,
    channelId: options.channelId ?? THREAD,
    webhookId: null,
    author: { id: options.authorId ?? '900000000000000001', bot: options.bot ?? false, username: options.name ?? 'ada' },
    member: { displayName: options.name ?? 'Ada' },
    mentions: { users: { has: (id: string) => Boolean(options.mentionsBot) && id === BOT } },
    guildId: '800000000000000001',
    channel: { sendTyping: async () => undefined, isThread: () => true, ownerId: options.threadOwner ?? '900000000000000777', parentId: '700000000000000001', name: 'Old question' },
    async reply(payload: unknown) {
      sent.push({ kind: 'reply', payload });
      return {
        async edit(edit: unknown) {
          sent.push({ kind: 'edit', payload: edit });
          return {};
        },
      };
    },
  };
  return { message: message as unknown as Message, sent };
}

const client = { user: { id: BOT } } as unknown as Client;

async function contextWithThread(paperbot = createFakePaperbot()) {
  const ctx = testContext({ paperbot, env: { THREAD_HISTORY_TURNS: '4' } });
  await ctx.threads.createThread({ threadId: THREAD, channelId: 'c', guildId: 'g', createdBy: 'u', question: 'What is LoRA?', createdAt: 0 });
  await ctx.threads.appendTurns(THREAD, [{ role: 'user', content: 'What is LoRA?', author: 'Ada' }, { role: 'assistant', content: 'Low-rank adapters [1].' }], 0);
  return ctx;
}

describe('which thread messages are answered', () => {
  it('strips mentions of the bot', () => {
    expect(stripBotMention(`<@${BOT}> and <@!${BOT}> what about QLoRA?`, BOT)).toBe('and what about QLoRA?');
  });

  it('answers people in bot threads only, never bots or itself; mention-only mode needs a mention', () => {
    const base = { authorIsBot: false, authorId: 'u', botId: BOT, isBotThread: true, mentionOnly: false, mentionsBot: false, webhook: false };
    expect(shouldAnswerFollowUp(base)).toBe(true);
    expect(shouldAnswerFollowUp({ ...base, authorIsBot: true })).toBe(false);
    expect(shouldAnswerFollowUp({ ...base, authorId: BOT })).toBe(false);
    expect(shouldAnswerFollowUp({ ...base, webhook: true })).toBe(false);
    expect(shouldAnswerFollowUp({ ...base, isBotThread: false })).toBe(false);
    expect(shouldAnswerFollowUp({ ...base, mentionOnly: true })).toBe(false);
    expect(shouldAnswerFollowUp({ ...base, mentionOnly: true, mentionsBot: true })).toBe(true);
  });
});

describe('answerFollowUp', () => {
  it('answers with the thread so far as history and remembers both new turns, several people included', async () => {
    const paperbot = createFakePaperbot();
    const ctx = await contextWithThread(paperbot);
    const first = fakeMessage({ content: 'And QLoRA?', name: 'Bob', authorId: '900000000000000002' });
    await answerFollowUp(first.message, client, ctx, false);
    const ask = paperbot.calls.find((c) => c.kind === 'ask')!;
    expect(ask.input).toEqual(['And QLoRA?']);
    expect(ask.options?.history).toEqual([
      { role: 'user', content: 'What is LoRA?', author: 'Ada' },
      { role: 'assistant', content: 'Low-rank adapters [1].' },
    ]);
    // placeholder reply, then edited into the answer; no pings
    expect(first.sent[0]!.kind).toBe('reply');
    expect(first.sent[0]!.payload.allowedMentions).toEqual({ parse: [], repliedUser: false });
    expect(first.sent.at(-1)!.payload.embeds[0].title).toBe('And QLoRA?');
    for (const s of first.sent) expect(s.payload.allowedMentions.parse).toEqual([]);
    expect((await ctx.threads.recentTurns(THREAD, 10)).map((t) => t.author ?? t.role)).toEqual(['Ada', 'assistant', 'Bob', 'assistant']);

    // the window is bounded by THREAD_HISTORY_TURNS (4)
    ctx.clock.advance(60_000);
    await answerFollowUp(fakeMessage({ content: 'Third?', name: 'Cy', authorId: '900000000000000003' }).message, client, ctx, false);
    await answerFollowUp(fakeMessage({ content: 'Fourth?', name: 'Dee', authorId: '900000000000000004' }).message, client, ctx, false);
    const fourth = paperbot.calls.filter((c) => c.kind === 'ask')[2]!;
    expect(fourth.options?.history).toHaveLength(4);
    expect(fourth.options?.history?.map((t) => t.author ?? t.role)).toEqual(['Bob', 'assistant', 'Cy', 'assistant']);
  });

  it('ignores messages in threads the bot did not start, and its own messages', async () => {
    const paperbot = createFakePaperbot();
    const ctx = await contextWithThread(paperbot);
    await answerFollowUp(fakeMessage({ content: 'hi', channelId: '600000000000000999' }).message, client, ctx, false);
    await answerFollowUp(fakeMessage({ content: 'answer text', authorId: BOT, bot: true }).message, client, ctx, false);
    expect(paperbot.calls).toEqual([]);
  });

  it('in mention-only mode answers only when mentioned', async () => {
    const paperbot = createFakePaperbot();
    const ctx = await contextWithThread(paperbot);
    await answerFollowUp(fakeMessage({ content: 'no mention' }).message, client, ctx, true);
    expect(paperbot.calls).toEqual([]);
    await answerFollowUp(fakeMessage({ content: `<@${BOT}> with mention`, mentionsBot: true }).message, client, ctx, true);
    expect(paperbot.calls.find((c) => c.kind === 'ask')?.input).toEqual(['with mention']);
  });

  it('applies the cooldown with a short reply', async () => {
    const paperbot = createFakePaperbot();
    const ctx = await contextWithThread(paperbot);
    await answerFollowUp(fakeMessage({ content: 'one' }).message, client, ctx, false);
    const second = fakeMessage({ content: 'two' });
    await answerFollowUp(second.message, client, ctx, false);
    expect(second.sent).toHaveLength(1);
    expect(second.sent[0]!.payload.content).toMatch(/Please wait 10 s/);
    expect(paperbot.calls.filter((c) => c.kind === 'ask')).toHaveLength(1);
  });

  it('a message rejected by validation does not reset the cooldown (question → too long → question is one model call)', async () => {
    const paperbot = createFakePaperbot();
    const ctx = await contextWithThread(paperbot);
    await answerFollowUp(fakeMessage({ content: 'one' }).message, client, ctx, false);
    const tooLong = fakeMessage({ content: 'x'.repeat(5000) });
    await answerFollowUp(tooLong.message, client, ctx, false);
    expect(tooLong.sent[0]!.payload.content).toMatch(/too long/);
    const third = fakeMessage({ content: 'two' });
    await answerFollowUp(third.message, client, ctx, false);
    expect(third.sent[0]!.payload.content).toMatch(/Please wait/);
    expect(paperbot.calls.filter((c) => c.kind === 'ask')).toHaveLength(1);
  });

  it('a message of only zero-width and control characters gets no reply at all', async () => {
    const paperbot = createFakePaperbot();
    const ctx = await contextWithThread(paperbot);
    const invisible = fakeMessage({ content: '\u200b\u200d\u2060\u0007\u202e' });
    await answerFollowUp(invisible.message, client, ctx, false);
    expect(invisible.sent).toEqual([]);
    expect(paperbot.calls).toEqual([]);
  });

  it('in a thread the bot started but no longer remembers (state reset): says so once, then answers again', async () => {
    const paperbot = createFakePaperbot();
    const ctx = testContext({ paperbot });
    const forgotten = '600000000000000555';
    const first = fakeMessage({ content: 'And QLoRA?', channelId: forgotten, threadOwner: BOT });
    await answerFollowUp(first.message, client, ctx, false);
    expect(first.sent).toHaveLength(1);
    expect(first.sent[0]!.payload.content).toBe(CONTEXT_LOST);
    expect(first.sent[0]!.payload.content).toMatch(/\/ask/);
    expect(paperbot.calls).toEqual([]);
    const second = fakeMessage({ content: 'And QLoRA?', channelId: forgotten, threadOwner: BOT });
    await answerFollowUp(second.message, client, ctx, false);
    expect(paperbot.calls.find((c) => c.kind === 'ask')?.options?.history).toEqual([]);
    expect(second.sent.at(-1)!.payload.embeds[0].title).toBe('And QLoRA?');
  });

  it('a failure is answered with the apology and gives the cooldown back, as for slash commands', async () => {
    let fail = true;
    const paperbot = createFakePaperbot({
      answer: () => {
        if (fail) throw new Error('model exploded');
        return { answer: 'fine [1].', sources: [], mode: 'llm', refused: false, usage: null };
      },
    });
    const ctx = await contextWithThread(paperbot);
    const failed = fakeMessage({ content: 'one' });
    await answerFollowUp(failed.message, client, ctx, false);
    expect(failed.sent.at(-1)!.payload.content).toBe(GENERIC_APOLOGY);
    fail = false;
    const again = fakeMessage({ content: 'one' });
    await answerFollowUp(again.message, client, ctx, false);
    expect(again.sent.at(-1)!.payload.embeds[0].description).toContain('fine');
  });

  it('thread memory is kept across a restart (same database, new context)', async () => {
    const ctx = await contextWithThread();
    const reopened = { ...testContext(), state: ctx.state, threads: ctx.threads };
    const paperbot = reopened.paperbot;
    await answerFollowUp(fakeMessage({ content: 'still there?' }).message, client, reopened, false);
    expect(paperbot.calls.find((c) => c.kind === 'ask')?.options?.history?.[0]?.content).toBe('What is LoRA?');
  });
});
