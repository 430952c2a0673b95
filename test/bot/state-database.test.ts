import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { exportFeedback, recordFeedback, recordShownAnswer } from '../../src/bot/feedback-store.js';
import { MIGRATIONS, migrateStateDatabase, openStateDatabase, stateDatabasePath } from '../../src/bot/state/open-state-database.js';
import { DigestStore } from '../../src/bot/state/digest-store.js';
import { SettingsStore } from '../../src/bot/state/settings-store.js';
import { ThreadStore } from '../../src/bot/state/thread-store.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-state-'));
  dirs.push(dir);
  return stateDatabasePath(dir);
}
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('openStateDatabase', () => {
  it('creates the file, migrates to the latest version and uses WAL', () => {
    const file = tempDb();
    expect(file.endsWith('paperbot.sqlite')).toBe(true);
    const db = openStateDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['threads', 'thread_turns', 'answers', 'feedback', 'digest_runs', 'settings', 'digest_drafts', 'digest_parts']));
    db.close();
  });

  it('reopening applies nothing twice; a later migration runs once on an old database', () => {
    const file = tempDb();
    openStateDatabase(file).close();
    const db = openStateDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const extended = [...MIGRATIONS, 'CREATE TABLE extra (x INTEGER);'];
    expect(migrateStateDatabase(db, extended)).toBe(MIGRATIONS.length + 1);
    expect(migrateStateDatabase(db, extended)).toBe(MIGRATIONS.length + 1);
    db.close();
  });

  it('refuses a database from a newer version', () => {
    const db = openStateDatabase(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    expect(() => migrateStateDatabase(db)).toThrow(/newer/);
  });

  it('a failing migration leaves the version unchanged', () => {
    const db = openStateDatabase(':memory:');
    expect(() => migrateStateDatabase(db, [...MIGRATIONS, 'CREATE TABLE ok (x); THIS IS NOT SQL'])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'ok'`).get()).toBeUndefined();
  });
});

describe('ThreadStore', () => {
  it('keeps a bounded window of the latest turns, oldest first', () => {
    const threads = new ThreadStore(openStateDatabase(':memory:'));
    threads.createThread({ threadId: 't1', channelId: 'c1', guildId: 'g', createdBy: 'u1', question: 'q', createdAt: 1 });
    for (let i = 0; i < 10; i++) threads.addTurn('t1', { role: i % 2 ? 'assistant' : 'user', content: `turn ${i}`, ...(i % 2 ? {} : { author: `user${i}` }) }, i);
    const window = threads.recentTurns('t1', 4);
    expect(window.map((t) => t.content)).toEqual(['turn 6', 'turn 7', 'turn 8', 'turn 9']);
    expect(window[0]).toEqual({ role: 'user', content: 'turn 6', author: 'user6' });
    expect(window[1]).toEqual({ role: 'assistant', content: 'turn 7' });
    threads.pruneTurns('t1', 3);
    expect(threads.recentTurns('t1', 100).map((t) => t.content)).toEqual(['turn 7', 'turn 8', 'turn 9']);
  });

  it('knows only the threads the bot started', () => {
    const threads = new ThreadStore(openStateDatabase(':memory:'));
    threads.createThread({ threadId: 't1', channelId: 'c1', guildId: null, createdBy: 'u1', question: 'q', createdAt: 1 });
    expect(threads.isBotThread('t1')).toBe(true);
    expect(threads.isBotThread('t2')).toBe(false);
  });

  it('thread memory survives a restart (database reopened)', () => {
    const file = tempDb();
    const first = openStateDatabase(file);
    const before = new ThreadStore(first);
    before.createThread({ threadId: 't1', channelId: 'c1', guildId: 'g', createdBy: 'u1', question: 'What is LoRA?', createdAt: 1 });
    before.addTurn('t1', { role: 'user', content: 'What is LoRA?', author: 'ada' }, 1);
    before.addTurn('t1', { role: 'assistant', content: 'Low-rank adaptation [1].' }, 2);
    first.close();
    const after = new ThreadStore(openStateDatabase(file));
    expect(after.getThread('t1')?.question).toBe('What is LoRA?');
    expect(after.recentTurns('t1', 12)).toEqual([
      { role: 'user', content: 'What is LoRA?', author: 'ada' },
      { role: 'assistant', content: 'Low-rank adaptation [1].' },
    ]);
  });
});

describe('feedback', () => {
  it('stores votes with question, answer and sources; a second vote replaces the first', () => {
    const db = openStateDatabase(':memory:');
    const sources = [{ n: 1, id: 'p1', title: 'Paper', url: 'https://x.example/p1' }];
    const id = recordShownAnswer(db, { question: 'Q?', answer: 'A [1].', sources, mode: 'llm' }, 1000);
    expect(recordFeedback(db, { answerId: id, userId: 'u1', vote: 'up' }, 2000)).toBe(true);
    expect(recordFeedback(db, { answerId: id, userId: 'u2', vote: 'up' }, 2500)).toBe(true);
    expect(recordFeedback(db, { answerId: id, userId: 'u1', vote: 'down' }, 3000)).toBe(true);
    const rows = exportFeedback(db);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.userId === 'u1')).toEqual({
      answerId: id,
      userId: 'u1',
      vote: 'down',
      question: 'Q?',
      answer: 'A [1].',
      sources,
      votedAt: new Date(3000).toISOString(),
    });
  });

  it('ignores votes on unknown answers', () => {
    const db = openStateDatabase(':memory:');
    expect(recordFeedback(db, { answerId: 'nope', userId: 'u1', vote: 'up' }, 1)).toBe(false);
    expect(exportFeedback(db)).toEqual([]);
  });
});

describe('SettingsStore', () => {
  it('sets, overwrites and deletes', () => {
    const settings = new SettingsStore(openStateDatabase(':memory:'));
    expect(settings.get('a')).toBeUndefined();
    settings.set('a', '1');
    settings.set('a', '2');
    expect(settings.get('a')).toBe('2');
    settings.delete('a');
    expect(settings.get('a')).toBeUndefined();
  });
});

describe('DigestStore drafts', () => {
  const payload = (text: string) => ({ content: text, embeds: [], components: [], allowedMentions: { parse: [] as never[] } });

  it('a database from before the digest-parts migration is upgraded with its runs intact', () => {
    const old = new Database(':memory:');
    expect(migrateStateDatabase(old, MIGRATIONS.slice(0, 3))).toBe(3);
    old.prepare(`INSERT INTO digest_runs (run_key, kind, status, created_at) VALUES ('r', 'manual', 'posted', 1)`).run();
    expect(migrateStateDatabase(old)).toBe(MIGRATIONS.length);
    expect(new DigestStore(old).getRun('r')?.status).toBe('posted');
    expect(new DigestStore(old).getDraft('r')).toBeUndefined();
  });

  it('keeps parts in order with their message ids; abandoning keeps a draft only once a part was posted', () => {
    const runs = new DigestStore(openStateDatabase(':memory:'));
    const base = { kind: 'scheduled' as const, topic: 't', topicIndex: 2, channelId: 'c', paperIds: ['p1'], newCount: 0, payloads: [payload('one'), payload('two'), payload('three')] };
    const claim = (runKey: string, kind: 'scheduled' | 'manual', at: number) => runs.claimRun({ runKey, kind, scheduledFor: null, owner: 'me', at, leaseMs: 100 });

    expect(claim('a', 'scheduled', 10)).toEqual({ claimed: true });
    runs.saveDraft({ runKey: 'a', ...base }, 10);
    runs.abandonRun('a', 'me');
    expect(runs.getDraft('a')).toBeUndefined();
    expect(runs.getRun('a')).toBeUndefined();

    expect(claim('b', 'manual', 20)).toEqual({ claimed: true });
    runs.saveDraft({ runKey: 'b', ...base, kind: 'manual' }, 20);
    runs.markPartPosted('b', 0, 'm1', 21);
    runs.abandonRun('b', 'me');
    expect(runs.getRun('b')).toBeUndefined();
    const draft = runs.getDraft('b')!;
    expect(draft.parts.map((p) => [p.index, p.payload.content, p.messageId, p.postedAt])).toEqual([
      [0, 'one', 'm1', 21],
      [1, 'two', null, null],
      [2, 'three', null, null],
    ]);
    expect(draft).toMatchObject({ kind: 'manual', topic: 't', topicIndex: 2, channelId: 'c', paperIds: ['p1'] });
    expect(runs.unfinishedDraft('manual')?.runKey).toBe('b');
    expect(runs.unfinishedDraft('scheduled')).toBeUndefined();

    expect(claim('b', 'manual', 30)).toEqual({ claimed: true });
    expect(runs.completeRun('b', 'me', { topic: 't', channelId: 'c', messageId: 'm1', paperIds: ['p1'] }, 31)).toBe(true);
    expect(runs.unfinishedDraft('manual')).toBeUndefined();
  });
});

describe('DigestStore claims', () => {
  const claim = (runs: DigestStore, owner: string, at: number) => runs.claimRun({ runKey: 'slot', kind: 'scheduled', scheduledFor: 0, owner, at, leaseMs: 1_000 });
  const done = { topic: 't', channelId: 'c', messageId: 'm', paperIds: [] };

  it('a live claim is held against everyone else until its lease expires; its owner can renew it', () => {
    const runs = new DigestStore(openStateDatabase(':memory:'));
    expect(claim(runs, 'a', 0)).toEqual({ claimed: true });
    expect(claim(runs, 'b', 999)).toEqual({ claimed: false, reason: 'held', leaseUntil: 1_000 });
    expect(runs.renewClaim('slot', 'a', 5_000)).toBe(true);
    expect(runs.renewClaim('slot', 'b', 9_000)).toBe(false);
    expect(claim(runs, 'b', 4_999)).toEqual({ claimed: false, reason: 'held', leaseUntil: 5_000 });
  });

  it('an expired claim is taken over; the old owner can then neither renew, complete nor abandon it', () => {
    const runs = new DigestStore(openStateDatabase(':memory:'));
    claim(runs, 'a', 0);
    expect(claim(runs, 'b', 1_000)).toEqual({ claimed: true });
    expect(runs.renewClaim('slot', 'a', 3_000)).toBe(false);
    expect(runs.completeRun('slot', 'a', done, 1_500)).toBe(false);
    runs.abandonRun('slot', 'a');
    expect(runs.getRun('slot')).toMatchObject({ status: 'posting' });
    expect(runs.completeRun('slot', 'b', done, 1_500)).toBe(true);
    expect(claim(runs, 'c', 99_999)).toEqual({ claimed: false, reason: 'posted' });
  });

  it('a claim made before leases existed (no lease) counts as expired', () => {
    const db = openStateDatabase(':memory:');
    db.prepare(`INSERT INTO digest_runs (run_key, kind, status, created_at) VALUES ('slot', 'scheduled', 'posting', 0)`).run();
    expect(claim(new DigestStore(db), 'a', 1)).toEqual({ claimed: true });
  });
});
