import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStateStores } from '../../src/state/postgres/open-postgres-state-stores.js';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import { stateDatabasePath } from '../../src/state/sqlite/open-state-database.js';
import type { StateStores } from '../../src/state/state-stores.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';
import { runCliInProcess } from '../support/run-cli.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** An embedded install's bot state with a bit of everything; returns its data directory. */
async function embeddedState(): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'paperbot-migrate-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const stores = openSqliteStateStores(stateDatabasePath(path.join(dataDir, 'state')));
  await stores.threads.createThread({ threadId: 't1', channelId: 'c1', guildId: 'g1', createdBy: 'u1', question: 'What is LoRA?', createdAt: 1 });
  for (let i = 0; i < 3; i++) await stores.threads.appendTurns('t1', [{ role: 'user', content: `q${i}`, author: 'ada' }, { role: 'assistant', content: `a${i}` }], 2 + i);
  const answerId = await stores.feedback.recordShownAnswer({ question: 'Q?', answer: 'A [1].', sources: [{ n: 1, id: 'p1', title: 'P', url: 'https://x.example/p1' }], mode: 'llm', command: 'ask' }, 10);
  await stores.feedback.recordVote({ answerId, userId: 'u2', vote: 'up' }, 11);
  await stores.feedback.recordVote({ answerId, userId: 'u3', vote: 'down' }, 11);
  await stores.digests.claimRun({ runKey: 'slot-1', kind: 'scheduled', scheduledFor: 100, owner: 'me', at: 100, leaseMs: 1_000 });
  await stores.digests.saveDraft({ runKey: 'slot-1', kind: 'scheduled', topic: 'agents', topicIndex: 0, channelId: 'c2', paperIds: ['p1'], newCount: 1, payloads: [{ content: 'one' }, { content: 'two' }] }, 100);
  await stores.digests.markPartPosted('slot-1', 0, 'm1', 101);
  await stores.digests.markPartPosted('slot-1', 1, 'm2', 102);
  await stores.digests.completeRun('slot-1', 'me', { topic: 'agents', channelId: 'c2', messageId: 'm1', paperIds: ['p1'] }, 103);
  await stores.settings.set('digest.topics', ['agents', 'robots']);
  await stores.settings.set('digest.topicIndex', 1);
  await stores.watches.add({ scope: 'channel', targetId: 'c9', subscriberId: 'u2', topic: 'Continual learning' }, 104);
  await stores.feedback.recordExpectedPaper({ answerId, userId: 'u3', paperId: 'p7', title: 'The paper that should have answered' }, 12);
  const salt = await stores.gaps.hashSalt('embedded-salt');
  await stores.gaps.recordGap({ question: 'What about quantum annealing?', askedAt: 105, guildId: 'g1', userHash: `${salt}:hash-of-u3`, reason: 'refused', command: 'ask' });
  await stores.gaps.recordGap({ question: 'Any work on protein folding?', askedAt: 106, guildId: null, userHash: `${salt}:hash-of-u4`, reason: 'low-evidence', command: 'summarize' });
  await stores.close();
  return dataDir;
}

async function postgresState(schema: TestSchema): Promise<StateStores> {
  const stores = await openPostgresStateStores(schema.database());
  cleanups.push(() => stores.close());
  return stores;
}

describe('paperbot migrate --to (bot state)', () => {
  it('copies threads with their turns in order, votes with their commands and expected papers, digest runs with their parts, settings, watches and coverage gaps; a second run copies nothing twice', async () => {
    const dataDir = await embeddedState();
    const schema = await createTestSchema();
    cleanups.push(() => schema.drop());
    const env = { PAPERBOT_DATA_DIR: dataDir };

    const first = await runCliInProcess(['migrate', '--to', schema.url], { env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('Bot state: copied 1 thread (6 turns), 1 answer, 2 votes, 1 expected paper, 1 digest run (1 draft), 2 settings, 1 watch, 2 coverage gaps from');
    expect(first.stderr).not.toContain('its own salt');
    expect(first.stderr).toContain('Papers: nothing to copy (no index in');

    const stores = await postgresState(schema);
    expect((await stores.threads.recentTurns('t1', 10)).map((t) => t.content)).toEqual(['q0', 'a0', 'q1', 'a1', 'q2', 'a2']);
    expect(await stores.threads.getThread('t1')).toMatchObject({ question: 'What is LoRA?', guildId: 'g1' });
    expect(await stores.feedback.exportVotes()).toMatchObject([
      { userId: 'u2', vote: 'up', sources: [{ id: 'p1' }] },
      { userId: 'u3', vote: 'down' },
    ]);
    expect(await stores.digests.lastPostedRun()).toMatchObject({ runKey: 'slot-1', status: 'posted', paperIds: ['p1'], postedAt: 103 });
    expect((await stores.digests.getDraft('slot-1'))?.parts.map((p) => [p.payload, p.messageId])).toEqual([
      [{ content: 'one' }, 'm1'],
      [{ content: 'two' }, 'm2'],
    ]);
    expect(await stores.settings.get('digest.topics')).toEqual(['agents', 'robots']);
    expect(await stores.watches.list('channel', 'c9')).toMatchObject([{ subscriberId: 'u2', topic: 'Continual learning', createdAt: 104 }]);
    expect(await stores.feedback.exportExpectedPapers()).toMatchObject([{ answerId: expect.any(String), paperId: 'p7', title: 'The paper that should have answered' }]);
    expect(await stores.feedback.voteStats()).toMatchObject([
      { command: 'ask', vote: 'up' },
      { command: 'ask', vote: 'down' },
    ]);
    // the gaps keep their hashes, and the database now hashes with the embedded salt (the same person stays one person)
    expect(await stores.gaps.hashSalt('another-salt')).toBe('embedded-salt');
    expect(await stores.gaps.listGaps({ since: 0 })).toEqual([
      { question: 'What about quantum annealing?', askedAt: 105, guildId: 'g1', userHash: 'embedded-salt:hash-of-u3', reason: 'refused', command: 'ask' },
      { question: 'Any work on protein folding?', askedAt: 106, guildId: null, userHash: 'embedded-salt:hash-of-u4', reason: 'low-evidence', command: 'summarize' },
    ]);
    // The run is posted in the database now: no process will post that slot again.
    expect(await stores.digests.claimRun({ runKey: 'slot-1', kind: 'scheduled', scheduledFor: 100, owner: 'shard-0', at: 999_999, leaseMs: 1_000 })).toEqual({ claimed: false, reason: 'posted' });

    await stores.settings.set('digest.topicIndex', 5);
    const again = await runCliInProcess(['migrate', '--to', schema.url], { env });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Bot state: copied 0 threads (0 turns), 0 answers, 0 votes, 0 expected papers, 0 digest runs (0 drafts), 0 settings, 0 watches, 0 coverage gaps from');
    expect(await stores.gaps.listGaps({ since: 0 })).toHaveLength(2);
    expect(await stores.feedback.exportExpectedPapers()).toHaveLength(1);
    expect(await stores.watches.all()).toHaveLength(1);
    expect(await stores.threads.recentTurns('t1', 100)).toHaveLength(6);
    expect(await stores.feedback.exportVotes()).toHaveLength(2);
    expect(await stores.settings.get('digest.topicIndex')).toBe(5);
  });
});

describe('paperbot migrate --to (coverage gaps into a database with its own salt)', () => {
  it('copies the gaps with their hashes and says that people who asked on both installs count twice', async () => {
    const dataDir = await embeddedState();
    const schema = await createTestSchema();
    cleanups.push(() => schema.drop());
    const stores = await postgresState(schema);
    expect(await stores.gaps.hashSalt('database-salt')).toBe('database-salt');
    const run = await runCliInProcess(['migrate', '--to', schema.url], { env: { PAPERBOT_DATA_DIR: dataDir } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('2 coverage gaps');
    expect(run.stderr).toContain('the database already had its own salt for user hashes');
    expect(await stores.gaps.hashSalt('x')).toBe('database-salt');
    expect((await stores.gaps.listGaps({ since: 0 })).map((g) => g.userHash)).toEqual(['embedded-salt:hash-of-u3', 'embedded-salt:hash-of-u4']);
  });
});
