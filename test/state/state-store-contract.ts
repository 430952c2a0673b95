import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationTurn } from '../../src/answer/answer-types.js';
import { InvalidSettingError } from '../../src/state/settings-keys.js';
import type { StateStores } from '../../src/state/state-stores.js';

/** Some storage for the state stores, e.g. one SQLite file or one Postgres schema. */
export interface StateBackend {
  /** A new connection to this storage, as a second process (or a restarted one) would open it. */
  open(): Promise<StateStores>;
  /** Remove the storage (after every connection was closed). */
  destroy(): Promise<void>;
}

/**
 * The behaviour every StateStores implementation must have. Call it from a test file with a factory of
 * fresh, empty storage; each test gets its own.
 */
export function describeStateStoreContract(name: string, createBackend: () => Promise<StateBackend>): void {
  describe(`state stores contract: ${name}`, () => {
    let backend: StateBackend;
    let opened: StateStores[] = [];
    const open = async () => {
      const stores = await backend.open();
      opened.push(stores);
      return stores;
    };
    /** Close a connection (a restart, or the end of the test). */
    const close = async (stores: StateStores) => {
      opened = opened.filter((s) => s !== stores);
      await stores.close();
    };
    beforeEach(async () => {
      backend = await createBackend();
    });
    afterEach(async () => {
      for (const stores of opened) await stores.close();
      opened = [];
      await backend.destroy();
    });

    const thread = (threadId: string) => ({ threadId, channelId: 'c1', guildId: 'g' as string | null, createdBy: 'u1', question: 'What is LoRA?', createdAt: 1 });

    describe('threads', () => {
      it('keeps a bounded window of the latest turns, oldest first; an author only when given', async () => {
        const { threads } = await open();
        await threads.createThread(thread('t1'));
        for (let i = 0; i < 10; i++) await threads.addTurn('t1', { role: i % 2 ? 'assistant' : 'user', content: `turn ${i}`, ...(i % 2 ? {} : { author: `user${i}` }) }, i);
        const window = await threads.recentTurns('t1', 4);
        expect(window.map((t) => t.content)).toEqual(['turn 6', 'turn 7', 'turn 8', 'turn 9']);
        expect(window[0]).toEqual({ role: 'user', content: 'turn 6', author: 'user6' });
        expect(window[1]).toEqual({ role: 'assistant', content: 'turn 7' });
        await threads.pruneTurns('t1', 3);
        expect((await threads.recentTurns('t1', 100)).map((t) => t.content)).toEqual(['turn 7', 'turn 8', 'turn 9']);
      });

      it('knows only the threads the bot started; recording one twice keeps the first; deleting forgets its turns', async () => {
        const { threads } = await open();
        await threads.createThread({ ...thread('t1'), guildId: null });
        await threads.createThread({ ...thread('t1'), question: 'another question' });
        expect(await threads.isBotThread('t1')).toBe(true);
        expect(await threads.isBotThread('t2')).toBe(false);
        expect(await threads.getThread('t1')).toEqual({ ...thread('t1'), guildId: null });
        await threads.addTurn('t1', { role: 'user', content: 'q' }, 2);
        await threads.deleteThread('t1');
        expect(await threads.isBotThread('t1')).toBe(false);
        expect(await threads.getThread('t1')).toBeUndefined();
        expect(await threads.recentTurns('t1', 10)).toEqual([]);
      });

      it('appendTurns adds an exchange in order and, with keep, drops all but the newest turns', async () => {
        const { threads } = await open();
        await threads.createThread(thread('t1'));
        for (let i = 0; i < 3; i++) {
          await threads.appendTurns('t1', [{ role: 'user', content: `q${i}`, author: 'ada' }, { role: 'assistant', content: `a${i}` }], i, { keep: 4 });
        }
        expect(await threads.recentTurns('t1', 100)).toEqual([
          { role: 'user', content: 'q1', author: 'ada' },
          { role: 'assistant', content: 'a1' },
          { role: 'user', content: 'q2', author: 'ada' },
          { role: 'assistant', content: 'a2' },
        ]);
      });

      it('two writers appending exchanges at once to one thread: nothing lost, no exchange split', async () => {
        const [first, second] = [await open(), await open()];
        await first.threads.createThread(thread('t1'));
        const exchange = (writer: string, i: number): ConversationTurn[] => [
          { role: 'user', content: `${writer} q${i}`, author: writer },
          { role: 'assistant', content: `${writer} a${i}` },
        ];
        await Promise.all(
          Array.from({ length: 25 }, (_, i) => [first.threads.appendTurns('t1', exchange('ada', i), i), second.threads.appendTurns('t1', exchange('bob', i), i)]).flat(),
        );
        const turns = await first.threads.recentTurns('t1', 1000);
        expect(turns).toHaveLength(100);
        for (let i = 0; i < turns.length; i += 2) {
          const [question, answer] = [turns[i]!, turns[i + 1]!];
          expect(question.role).toBe('user');
          expect(answer.content).toBe(question.content.replace(' q', ' a'));
        }
        for (const writer of ['ada', 'bob']) {
          const questions = turns.filter((t) => t.author === writer).map((t) => t.content);
          expect(questions).toEqual(Array.from({ length: 25 }, (_, i) => `${writer} q${i}`));
        }
      });

      it('thread memory survives a restart', async () => {
        const before = await open();
        await before.threads.createThread(thread('t1'));
        await before.threads.appendTurns('t1', [{ role: 'user', content: 'What is LoRA?', author: 'ada' }, { role: 'assistant', content: 'Low-rank adaptation [1].' }], 2);
        await close(before);
        const after = await open();
        expect((await after.threads.getThread('t1'))?.question).toBe('What is LoRA?');
        expect(await after.threads.recentTurns('t1', 12)).toEqual([
          { role: 'user', content: 'What is LoRA?', author: 'ada' },
          { role: 'assistant', content: 'Low-rank adaptation [1].' },
        ]);
      });
    });

    describe('feedback', () => {
      const sources = [{ n: 1, id: 'p1', title: 'Paper', url: 'https://x.example/p1' }];

      it('stores votes with question, answer and sources; a second vote by a user replaces the first', async () => {
        const { feedback } = await open();
        const id = await feedback.recordShownAnswer({ question: 'Q?', answer: 'A [1].', sources, mode: 'llm', userId: 'u0', channelId: 'c' }, 1000);
        expect(await feedback.recordVote({ answerId: id, userId: 'u1', vote: 'up' }, 2000)).toBe(true);
        expect(await feedback.recordVote({ answerId: id, userId: 'u2', vote: 'up' }, 2500)).toBe(true);
        expect(await feedback.recordVote({ answerId: id, userId: 'u1', vote: 'down' }, 3000)).toBe(true);
        const rows = await feedback.exportVotes();
        expect(rows.map((r) => r.userId)).toEqual(['u2', 'u1']);
        expect(rows[1]).toEqual({ answerId: id, userId: 'u1', vote: 'down', question: 'Q?', answer: 'A [1].', sources, votedAt: new Date(3000).toISOString() });
      });

      it('gives each shown answer its own id unless one is given', async () => {
        const { feedback } = await open();
        const shown = { question: 'Q?', answer: 'A.', sources: [], mode: 'extractive' as const };
        const [a, b] = [await feedback.recordShownAnswer(shown, 1), await feedback.recordShownAnswer(shown, 1)];
        expect(a).not.toBe(b);
        expect(await feedback.recordShownAnswer(shown, 1, 'chosen-id')).toBe('chosen-id');
      });

      it('finds a shown answer by id (text and sources, e.g. to recompute its claim check); unknown ids give undefined', async () => {
        const before = await open();
        const id = await before.feedback.recordShownAnswer({ question: 'Q?', answer: 'A [1]. B [1].', sources, mode: 'llm', userId: 'u0', channelId: 'c' }, 1);
        const bare = await before.feedback.recordShownAnswer({ question: 'Q2', answer: 'C.', sources: [], mode: 'extractive' }, 1);
        await close(before);
        const after = await open();
        expect(await after.feedback.getShownAnswer(id)).toEqual({ answerId: id, shownAt: 1, question: 'Q?', answer: 'A [1]. B [1].', sources, mode: 'llm', userId: 'u0', channelId: 'c' });
        expect(await after.feedback.getShownAnswer(bare)).toEqual({ answerId: bare, shownAt: 1, question: 'Q2', answer: 'C.', sources: [], mode: 'extractive' });
        expect(await after.feedback.getShownAnswer('nope')).toBeUndefined();
      });

      it('ignores votes on unknown answers', async () => {
        const { feedback } = await open();
        expect(await feedback.recordVote({ answerId: 'nope', userId: 'u1', vote: 'up' }, 1)).toBe(false);
        expect(await feedback.exportVotes()).toEqual([]);
      });

      it('finds shown answers by id and by channel (oldest first, newest `limit`); an answer can be moved to its thread', async () => {
        const { feedback } = await open();
        const first = await feedback.recordShownAnswer({ question: 'Q1?', answer: 'A1 [1].', sources, mode: 'llm', userId: 'u1', channelId: 'parent' }, 1000);
        const second = await feedback.recordShownAnswer({ question: 'Q2?', answer: 'A2.', sources: [], mode: 'extractive', channelId: 'thread' }, 2000);
        const third = await feedback.recordShownAnswer({ question: 'Q3?', answer: 'A3.', sources, mode: 'llm', channelId: 'thread' }, 3000);
        expect(await feedback.getShownAnswer(first)).toEqual({ answerId: first, question: 'Q1?', answer: 'A1 [1].', sources, mode: 'llm', userId: 'u1', channelId: 'parent', shownAt: 1000 });
        expect(await feedback.getShownAnswer('nope')).toBeUndefined();
        expect(await feedback.moveAnswerToChannel(first, 'thread')).toBe(true);
        expect(await feedback.moveAnswerToChannel('nope', 'thread')).toBe(false);
        expect((await feedback.answersInChannel('thread')).map((a) => a.answerId)).toEqual([first, second, third]);
        expect((await feedback.answersInChannel('thread', 2)).map((a) => a.answerId)).toEqual([second, third]);
        expect(await feedback.answersInChannel('parent')).toEqual([]);
      });

      it('keeps the paper a 👎 voter says should have answered (latest choice; only while the vote is 👎) and vote statistics by command', async () => {
        const { feedback } = await open();
        const id = await feedback.recordShownAnswer({ question: 'Which paper does X?', answer: 'A.', sources, mode: 'llm', command: 'ask' }, 1000);
        const other = await feedback.recordShownAnswer({ question: 'Compare', answer: 'B.', sources, mode: 'llm', command: 'compare' }, 1000);
        await feedback.recordVote({ answerId: id, userId: 'u1', vote: 'down' }, 2000);
        await feedback.recordVote({ answerId: id, userId: 'u2', vote: 'up' }, 2100);
        await feedback.recordVote({ answerId: other, userId: 'u1', vote: 'down' }, 2200);
        expect(await feedback.recordExpectedPaper({ answerId: id, userId: 'u1', paperId: 'p0', title: 'Wrong' }, 3000)).toBe(true);
        expect(await feedback.recordExpectedPaper({ answerId: id, userId: 'u1', paperId: 'p9', title: 'Paper Nine' }, 3100)).toBe(true);
        expect(await feedback.recordExpectedPaper({ answerId: id, userId: 'u2', paperId: 'p9', title: 'Paper Nine' }, 3200)).toBe(true);
        expect(await feedback.recordExpectedPaper({ answerId: 'nope', userId: 'u1', paperId: 'p9', title: 'Paper Nine' }, 3300)).toBe(false);
        expect(await feedback.exportExpectedPapers()).toEqual([
          { answerId: id, userId: 'u1', question: 'Which paper does X?', paperId: 'p9', title: 'Paper Nine', chosenAt: new Date(3100).toISOString() },
        ]);
        expect(await feedback.voteStats()).toEqual([
          { command: 'ask', vote: 'down', votedAt: 2000 },
          { command: 'ask', vote: 'up', votedAt: 2100 },
          { command: 'compare', vote: 'down', votedAt: 2200 },
        ]);
      });

      it('votes survive a restart', async () => {
        const before = await open();
        const id = await before.feedback.recordShownAnswer({ question: 'Q?', answer: 'A [1].', sources, mode: 'llm' }, 1);
        await before.feedback.recordVote({ answerId: id, userId: 'u1', vote: 'up' }, 2);
        await close(before);
        expect((await (await open()).feedback.exportVotes()).map((r) => r.vote)).toEqual(['up']);
      });
    });

    describe('coverage gaps', () => {
      const gap = (question: string, askedAt: number, guildId: string | null = 'g1') => ({ question, askedAt, guildId, userHash: 'h'.repeat(32), reason: 'refused' as const, command: 'ask' });

      it('lists gaps since a time (oldest first, one server, newest `limit`); prunes before a time; purges all', async () => {
        const { gaps } = await open();
        await gaps.recordGap(gap('old?', 100));
        await gaps.recordGap(gap('mid?', 200, 'g2'));
        await gaps.recordGap({ ...gap('new?', 300, null), reason: 'low-evidence', command: 'follow-up' });
        expect((await gaps.listGaps({ since: 150 })).map((g) => g.question)).toEqual(['mid?', 'new?']);
        expect(await gaps.listGaps({ since: 0, guildId: 'g1' })).toEqual([gap('old?', 100)]);
        expect((await gaps.listGaps({ since: 0, limit: 1 }))[0]).toEqual({ ...gap('new?', 300, null), reason: 'low-evidence', command: 'follow-up' });
        expect(await gaps.pruneGaps(200)).toBe(1);
        expect((await gaps.listGaps({ since: 0 })).map((g) => g.question)).toEqual(['mid?', 'new?']);
        expect(await gaps.purgeGaps()).toBe(2);
        expect(await gaps.listGaps({ since: 0 })).toEqual([]);
      });

      it('the salt is stored once: the first candidate wins, across connections and restarts', async () => {
        const [a, b] = [await open(), await open()];
        const salts = await Promise.all([a.gaps.hashSalt('salt-a'), b.gaps.hashSalt('salt-b')]);
        expect(salts[0]).toBe(salts[1]);
        await a.gaps.purgeGaps();
        await close(a);
        expect(await (await open()).gaps.hashSalt('salt-c')).toBe(salts[0]);
      });
    });

    describe('settings', () => {
      it('typed values round-trip; set overwrites; delete forgets', async () => {
        const { settings } = await open();
        expect(await settings.get('digest.topics')).toBeUndefined();
        await settings.set('digest.topics', ['agents', 'robots']);
        await settings.set('digest.topicIndex', 3);
        await settings.set('digest.channelId', '111111111111111111');
        await settings.set('digest.topicIndex', 4);
        expect(await settings.get('digest.topics')).toEqual(['agents', 'robots']);
        expect(await settings.get('digest.topicIndex')).toBe(4);
        expect(await settings.get('digest.channelId')).toBe('111111111111111111');
        await settings.delete('digest.topics');
        expect(await settings.get('digest.topics')).toBeUndefined();
      });

      it('refuses a value of the wrong type', async () => {
        const { settings } = await open();
        await expect(settings.set('digest.topicIndex', -1)).rejects.toThrow();
        await expect(settings.set('digest.topics', 'agents' as unknown as string[])).rejects.toThrow();
        expect(await settings.get('digest.topicIndex')).toBeUndefined();
      });

      it('a second connection sees the first one’s settings, also after a restart', async () => {
        const [first, second] = [await open(), await open()];
        await first.settings.set('digest.cron', '0 9 * * 1');
        expect(await second.settings.get('digest.cron')).toBe('0 9 * * 1');
        await close(first);
        await close(second);
        expect(await (await open()).settings.get('digest.cron')).toBe('0 9 * * 1');
      });

      it('InvalidSettingError names the key', () => {
        expect(new InvalidSettingError('digest.topics', 'wrong type').message).toMatch(/digest\.topics/);
      });
    });

    describe('cooldowns', () => {
      it('a running cooldown is kept (and said when it ends); an ended one is taken again', async () => {
        const { cooldowns } = await open();
        expect(await cooldowns.take('alice', 0, 10_000)).toEqual({ taken: true });
        expect(await cooldowns.take('alice', 9_999, 19_999)).toEqual({ taken: false, until: 10_000 });
        expect(await cooldowns.take('bob', 5_000, 15_000)).toEqual({ taken: true });
        expect(await cooldowns.take('alice', 10_000, 20_000)).toEqual({ taken: true });
        expect(await cooldowns.take('alice', 12_000, 22_000)).toEqual({ taken: false, until: 20_000 });
      });

      it('release ends only the cooldown it names: one taken since stays', async () => {
        const { cooldowns } = await open();
        await cooldowns.take('alice', 0, 10_000);
        await cooldowns.take('alice', 10_000, 20_000);
        await cooldowns.release('alice', 10_000);
        expect(await cooldowns.take('alice', 11_000, 21_000)).toEqual({ taken: false, until: 20_000 });
        await cooldowns.release('alice', 20_000);
        expect(await cooldowns.take('alice', 11_000, 21_000)).toEqual({ taken: true });
      });

      it('two connections taking one user’s cooldown at once: exactly one gets it, and it holds after a restart', async () => {
        const connections = [await open(), await open()];
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => connections[i % 2]!.cooldowns.take('alice', 0, 10_000 + i)));
        expect(results.filter((r) => r.taken)).toHaveLength(1);
        const winner = 10_000 + results.findIndex((r) => r.taken);
        expect(results.filter((r) => !r.taken)).toEqual(Array.from({ length: 9 }, () => ({ taken: false, until: winner })));
        for (const stores of connections) await close(stores);
        expect(await (await open()).cooldowns.take('alice', 5_000, 15_000)).toEqual({ taken: false, until: winner });
      });
    });

    describe('digest runs', () => {
      const claim = (stores: StateStores, owner: string, at: number, runKey = 'slot') => stores.digests.claimRun({ runKey, kind: 'scheduled', scheduledFor: 0, owner, at, leaseMs: 1_000 });
      const done = { topic: 't', channelId: 'c', messageId: 'm', paperIds: ['p1'] };
      const payload = (text: string) => ({ content: text, embeds: [] });
      const draftOf = (runKey: string, kind: 'scheduled' | 'manual' = 'scheduled') => ({
        runKey,
        kind,
        topic: 't',
        topicIndex: 2,
        channelId: 'c',
        paperIds: ['p1'],
        newCount: 0,
        payloads: [payload('one'), payload('two'), payload('three')],
      });

      it('a live claim is held against everyone else until its lease expires; its owner can renew it', async () => {
        const stores = await open();
        expect(await claim(stores, 'a', 0)).toEqual({ claimed: true });
        expect(await claim(stores, 'b', 999)).toEqual({ claimed: false, reason: 'held', leaseUntil: 1_000 });
        expect(await stores.digests.renewClaim('slot', 'a', 5_000)).toBe(true);
        expect(await stores.digests.renewClaim('slot', 'b', 9_000)).toBe(false);
        expect(await claim(stores, 'b', 4_999)).toEqual({ claimed: false, reason: 'held', leaseUntil: 5_000 });
        expect(await stores.digests.getRun('slot')).toMatchObject({ runKey: 'slot', kind: 'scheduled', scheduledFor: 0, status: 'posting' });
      });

      it('an expired claim is taken over; the old owner can then neither renew, complete nor abandon it', async () => {
        const stores = await open();
        await claim(stores, 'a', 0);
        expect(await claim(stores, 'b', 1_000)).toEqual({ claimed: true });
        expect(await stores.digests.renewClaim('slot', 'a', 3_000)).toBe(false);
        expect(await stores.digests.completeRun('slot', 'a', done, 1_500)).toBe(false);
        await stores.digests.abandonRun('slot', 'a');
        expect(await stores.digests.getRun('slot')).toMatchObject({ status: 'posting' });
        expect(await stores.digests.completeRun('slot', 'b', done, 1_500)).toBe(true);
        expect(await stores.digests.getRun('slot')).toMatchObject({ status: 'posted', topic: 't', channelId: 'c', messageId: 'm', paperIds: ['p1'], postedAt: 1_500 });
        expect(await claim(stores, 'c', 99_999)).toEqual({ claimed: false, reason: 'posted' });
      });

      it('two connections claiming one run at once: exactly one gets it', async () => {
        const connections = [await open(), await open()];
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(connections[i % 2]!, `owner-${i}`, 0)));
        expect(results.filter((r) => r.claimed)).toHaveLength(1);
      });

      it('keeps parts in order with their message ids; abandoning keeps a draft only once a part was posted', async () => {
        const { digests } = await open();
        await digests.claimRun({ runKey: 'a', kind: 'scheduled', scheduledFor: null, owner: 'me', at: 10, leaseMs: 100 });
        await digests.saveDraft(draftOf('a'), 10);
        await digests.abandonRun('a', 'me');
        expect(await digests.getDraft('a')).toBeUndefined();
        expect(await digests.getRun('a')).toBeUndefined();

        await digests.claimRun({ runKey: 'b', kind: 'manual', scheduledFor: null, owner: 'me', at: 20, leaseMs: 100 });
        const saved = await digests.saveDraft(draftOf('b', 'manual'), 20);
        expect(saved.parts.map((p) => p.postedAt)).toEqual([null, null, null]);
        await digests.markPartPosted('b', 0, 'm1', 21);
        await digests.abandonRun('b', 'me');
        expect(await digests.getRun('b')).toBeUndefined();
        const draft = (await digests.getDraft('b'))!;
        expect(draft.parts.map((p) => [p.index, p.payload, p.messageId, p.postedAt])).toEqual([
          [0, payload('one'), 'm1', 21],
          [1, payload('two'), null, null],
          [2, payload('three'), null, null],
        ]);
        expect(draft).toMatchObject({ kind: 'manual', topic: 't', topicIndex: 2, channelId: 'c', paperIds: ['p1'], createdAt: 20 });
        expect((await digests.unfinishedDraft('manual'))?.runKey).toBe('b');
        expect(await digests.unfinishedDraft('scheduled')).toBeUndefined();

        await digests.claimRun({ runKey: 'b', kind: 'manual', scheduledFor: null, owner: 'me', at: 30, leaseMs: 100 });
        expect(await digests.completeRun('b', 'me', done, 31)).toBe(true);
        expect(await digests.unfinishedDraft('manual')).toBeUndefined();
      });

      it('the last posted run is the most recently posted one; posted runs come oldest first', async () => {
        const stores = await open();
        for (const [runKey, postedAt] of [['first', 10], ['second', 30], ['third', 20]] as const) {
          await claim(stores, 'me', 0, runKey);
          await stores.digests.completeRun(runKey, 'me', { ...done, topic: runKey }, postedAt);
        }
        await claim(stores, 'me', 0, 'unposted');
        expect((await stores.digests.lastPostedRun())?.runKey).toBe('second');
        expect((await stores.digests.postedRuns()).map((r) => r.runKey)).toEqual(['first', 'third', 'second']);
      });

      it('runs and drafts survive a restart', async () => {
        const before = await open();
        await claim(before, 'me', 0);
        await before.digests.saveDraft(draftOf('slot'), 0);
        await before.digests.markPartPosted('slot', 0, 'm1', 1);
        await close(before);
        const after = await open();
        expect(await after.digests.getRun('slot')).toMatchObject({ status: 'posting' });
        expect((await after.digests.getDraft('slot'))?.parts[0]).toMatchObject({ messageId: 'm1', postedAt: 1 });
      });
    });
  });
}
