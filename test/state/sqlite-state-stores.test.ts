import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrateStateDatabase, openStateDatabase, stateDatabasePath } from '../../src/state/sqlite/open-state-database.js';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import { SqliteDigestStore } from '../../src/state/sqlite/sqlite-digest-store.js';
import { SqliteSettingsStore } from '../../src/state/sqlite/sqlite-settings-store.js';
import { expectTwoProcessesAppendCleanly } from './helpers/two-process-appenders.js';
import { describeStateStoreContract } from './state-store-contract.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-state-'));
  dirs.push(dir);
  return stateDatabasePath(dir);
}
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describeStateStoreContract('SQLite', async () => {
  const file = tempDb();
  return { open: async () => openSqliteStateStores(file), destroy: async () => undefined };
});

describe('openStateDatabase (SQLite)', () => {
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

describe('two processes writing one SQLite state database', () => {
  it('appending exchanges to one thread at the same time: nothing lost, no exchange split', async () => {
    const file = tempDb();
    const stores = openSqliteStateStores(file);
    await expectTwoProcessesAppendCleanly(file, stores, 1_000);
    await stores.close();
  }, 60_000);
});

describe('upgrading an existing SQLite state database', () => {
  it('a database from before the digest-parts migration keeps its runs', async () => {
    const old = new Database(':memory:');
    expect(migrateStateDatabase(old, MIGRATIONS.slice(0, 3))).toBe(3);
    old.prepare(`INSERT INTO digest_runs (run_key, kind, status, created_at) VALUES ('r', 'manual', 'posted', 1)`).run();
    expect(migrateStateDatabase(old)).toBe(MIGRATIONS.length);
    const runs = new SqliteDigestStore(old);
    expect((await runs.getRun('r'))?.status).toBe('posted');
    expect(await runs.getDraft('r')).toBeUndefined();
  });

  it('a claim made before leases existed counts as expired', async () => {
    const old = new Database(':memory:');
    migrateStateDatabase(old, MIGRATIONS.slice(0, 4));
    old.prepare(`INSERT INTO digest_runs (run_key, kind, status, created_at) VALUES ('slot', 'scheduled', 'posting', 0)`).run();
    migrateStateDatabase(old);
    expect(await new SqliteDigestStore(old).claimRun({ runKey: 'slot', kind: 'scheduled', scheduledFor: 0, owner: 'a', at: 1, leaseMs: 1_000 })).toEqual({ claimed: true });
  });

  it('settings stored as plain strings before they were typed read back as the same values', async () => {
    const old = new Database(':memory:');
    migrateStateDatabase(old, MIGRATIONS.slice(0, 5));
    const insert = old.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    insert.run('digest.channelId', '111111111111111111');
    insert.run('digest.cron', '30 18 * * 5');
    insert.run('digest.timezone', 'Europe/Berlin');
    insert.run('digest.topics', JSON.stringify(['agents', 'robots']));
    insert.run('digest.activeSince', String(Date.UTC(2020, 0, 1)));
    insert.run('digest.topicIndex', '3');
    migrateStateDatabase(old);
    const settings = new SqliteSettingsStore(old);
    expect(await settings.get('digest.channelId')).toBe('111111111111111111');
    expect(await settings.get('digest.cron')).toBe('30 18 * * 5');
    expect(await settings.get('digest.timezone')).toBe('Europe/Berlin');
    expect(await settings.get('digest.topics')).toEqual(['agents', 'robots']);
    expect(await settings.get('digest.activeSince')).toBe(Date.UTC(2020, 0, 1));
    expect(await settings.get('digest.topicIndex')).toBe(3);
  });

  it('a stored setting that does not match its type is an error naming the key', async () => {
    const db = openStateDatabase(':memory:');
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('digest.topics', '"not a list"');
    await expect(new SqliteSettingsStore(db).get('digest.topics')).rejects.toThrow(/digest\.topics is invalid/);
  });
});
