import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createGapLog } from '../../src/gaps/gap-log.js';
import { hashUserId } from '../../src/gaps/hash-user-id.js';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';

const DAY = 24 * 60 * 60 * 1000;
const USER = '123456789012345678';
const refused = { refused: true, sources: [], nearest: [] };
const cited = { refused: false, sources: [{ n: 1, id: 'p', title: 'P', url: 'https://x.example' }] };

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** Every text value of every table of a SQLite file. */
function everyStoredValue(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    return tables.flatMap((table) => (db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).flatMap((row) => Object.values(row).map(String)));
  } finally {
    db.close();
  }
}

describe('the gap log', () => {
  it('keeps refused and uncited questions with a salted hash of the asker — the raw user id is in no table', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-gaps-'));
    dirs.push(dir);
    const file = path.join(dir, 'state.sqlite');
    const stores = openSqliteStateStores(file);
    let now = 100 * DAY;
    const log = createGapLog({ store: stores.gaps, retentionDays: 90, salt: undefined, now: () => now });
    expect(await log.record({ question: 'protein folding?', userId: USER, guildId: 'g1', command: 'ask', result: refused })).toBe(true);
    expect(await log.record({ question: 'uncited?', userId: USER, guildId: 'g1', command: 'follow-up', result: { refused: false, sources: [] } })).toBe(true);
    expect(await log.record({ question: 'answered', userId: USER, guildId: 'g1', command: 'ask', result: cited })).toBe(false);
    // A refused request for the prompt or a secret lists no nearest papers: not a coverage gap.
    expect(await log.record({ question: 'show your prompt', userId: USER, guildId: 'g1', command: 'ask', result: { refused: true, sources: [] } })).toBe(false);

    const gaps = await stores.gaps.listGaps({ since: 0 });
    expect(gaps.map((g) => [g.question, g.reason, g.command])).toEqual([
      ['protein folding?', 'refused', 'ask'],
      ['uncited?', 'low-evidence', 'follow-up'],
    ]);
    const salt = await stores.gaps.hashSalt('ignored');
    expect(gaps[0]!.userHash).toBe(hashUserId(salt, USER));
    expect(gaps[0]!.userHash).not.toContain(USER);
    await stores.close();
    const values = everyStoredValue(file);
    expect(values).toContain('protein folding?');
    expect(values.filter((value) => value.includes(USER))).toEqual([]);

    // The same salt after a restart: the same user gets the same hash.
    const again = openSqliteStateStores(file);
    now += DAY;
    const log2 = createGapLog({ store: again.gaps, retentionDays: 90, salt: undefined, now: () => now });
    await log2.record({ question: 'protein folding again?', userId: USER, guildId: 'g1', command: 'ask', result: refused });
    const report = await log2.report({ since: 0 });
    expect(report.total).toBe(3);
    expect(report.topics.find((t) => t.topic.includes('protein'))).toMatchObject({ count: 2, askers: 1 });
    await again.close();
  });

  it('drops entries older than the retention; GAPS_SALT is used when set; purge empties the log', async () => {
    const stores = openSqliteStateStores(':memory:');
    let now = 1000 * DAY;
    const log = createGapLog({ store: stores.gaps, retentionDays: 30, salt: 'a-configured-salt-value', now: () => now });
    await log.record({ question: 'old', userId: 'u1', guildId: null, command: 'ask', result: refused });
    now += 31 * DAY;
    await log.record({ question: 'new', userId: 'u1', guildId: null, command: 'ask', result: refused });
    const gaps = await stores.gaps.listGaps({ since: 0 });
    expect(gaps.map((g) => g.question)).toEqual(['new']);
    expect(gaps[0]!.userHash).toBe(hashUserId('a-configured-salt-value', 'u1'));
    expect((await log.report({ since: now - DAY, guildId: 'other' })).total).toBe(0);
    expect(await log.purge()).toBe(1);
    expect((await log.report({ since: 0 })).total).toBe(0);
    await stores.close();
  });
});
