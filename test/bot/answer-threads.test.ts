import { describe, expect, it } from 'vitest';
import { openAnswerThread, recordExchange, threadName, threadPlan } from '../../src/bot/answer-threads.js';
import { testContext } from './fake-interactions.js';

describe('threads', () => {
  it('names threads after the question within 100 characters', () => {
    expect(threadName('  What   is\nLoRA? ')).toBe('What is LoRA?');
    expect(threadName('word '.repeat(50)).length).toBeLessThanOrEqual(100);
    expect(threadName('   ')).toBe('Question');
    expect(threadName('\u202eevil\u202c \u200bname\u0007 here')).toBe('evil name here');
  });

  it('plans threads only for guild text channels', () => {
    expect(threadPlan({ inGuild: true, channelType: 0 })).toEqual({ start: true });
    expect(threadPlan({ inGuild: true, channelType: undefined })).toEqual({ start: true });
    expect(threadPlan({ inGuild: true, channelType: 11 })).toEqual({ start: false, reason: 'in-thread' });
    expect(threadPlan({ inGuild: false, channelType: 1 })).toEqual({ start: false, reason: 'dm' });
    expect(threadPlan({ inGuild: true, channelType: 2 })).toEqual({ start: false, reason: 'unsupported-channel' });
  });

});


describe('recordExchange', () => {
  it('adds the question and the answer as the two newest turns and keeps at most the retained window', async () => {
    const ctx = testContext({ env: { THREAD_HISTORY_TURNS: '30' } });
    await ctx.threads.createThread({ threadId: 't', channelId: 'c', guildId: 'g', createdBy: 'u', question: 'q0', createdAt: 0 });
    for (let i = 1; i <= 40; i++) await recordExchange(ctx, 't', { question: `q${i}`, author: 'Ada', answer: `a${i}` });
    const turns = await ctx.threads.recentTurns('t', 1_000);
    expect(turns).toHaveLength(60);
    expect(turns.slice(-2)).toEqual([
      { role: 'user', content: 'q40', author: 'Ada' },
      { role: 'assistant', content: 'a40' },
    ]);
  });
});

describe('openAnswerThread', () => {
  const origin = (post: (route: string) => Promise<unknown>) => ({
    client: { rest: { post } } as never,
    channelId: '700000000000000001',
    guildId: '800000000000000001',
    messageId: '500000000000000001',
    userId: '900000000000000001',
  });

  it('remembers the thread under the id Discord gives it, with the first exchange', async () => {
    const ctx = testContext();
    const outcome = await openAnswerThread(ctx, origin(async () => ({ id: '600000000000000009' })), { question: 'Why?', author: 'Ada', answer: 'Because [1].' });
    expect(outcome).toEqual({ kind: 'thread', threadId: '600000000000000009' });
    expect(await ctx.threads.isBotThread('500000000000000001')).toBe(false);
    expect((await ctx.threads.recentTurns('600000000000000009', 10)).map((t) => t.content)).toEqual(['Why?', 'Because [1].']);
  });

  it('forgets the thread when Discord refuses it', async () => {
    const ctx = testContext();
    const outcome = await openAnswerThread(ctx, origin(async () => { throw new Error('socket hang up'); }), { question: 'Why?', author: 'Ada', answer: 'Because.' });
    expect(outcome).toEqual({ kind: 'inline', reason: 'error' });
    expect(await ctx.threads.isBotThread('500000000000000001')).toBe(false);
  });
});
