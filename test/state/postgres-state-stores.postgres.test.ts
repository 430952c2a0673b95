import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, MIGRATIONS_TABLE, SchemaTooNewError, type Migration } from '../../src/state/postgres/apply-migrations.js';
import { openPostgresStateStores } from '../../src/state/postgres/open-postgres-state-stores.js';
import { STATE_COMPONENT, STATE_MIGRATIONS } from '../../src/state/postgres/state-migrations.js';
import { createTestSchema, queryTestDatabase, type TestSchema } from '../support/postgres.js';
import { expectTwoProcessesAppendCleanly } from './helpers/two-process-appenders.js';
import { describeStateStoreContract } from './state-store-contract.js';

for (const poolMax of [10, 1]) {
  describeStateStoreContract(`PostgreSQL (pool of ${poolMax})`, async () => {
    const schema = await createTestSchema();
    return { open: () => openPostgresStateStores(schema.database({ poolMax })), destroy: () => schema.drop() };
  });
}

const schemas: TestSchema[] = [];
const pools: pg.Pool[] = [];
afterEach(async () => {
  while (pools.length) await pools.pop()!.end();
  while (schemas.length) await schemas.pop()!.drop();
});
async function freshSchema(): Promise<TestSchema> {
  const schema = await createTestSchema();
  schemas.push(schema);
  return schema;
}
function poolOn(schema: TestSchema): pg.Pool {
  const pool = new pg.Pool({ connectionString: schema.url, max: 2 });
  pools.push(pool);
  return pool;
}
async function applied(schema: TestSchema, component = STATE_COMPONENT): Promise<number[]> {
  const rows = await queryTestDatabase<{ version: number }>(`SELECT version FROM ${schema.name}.${MIGRATIONS_TABLE} WHERE component = $1 ORDER BY version`, [component]);
  return rows.map((row) => row.version);
}
async function tables(schema: TestSchema): Promise<string[]> {
  const rows = await queryTestDatabase<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema.name]);
  return rows.map((row) => row.table_name);
}
const allVersions = STATE_MIGRATIONS.map((m) => m.version);

describe('PostgreSQL state migrations', () => {
  it('a fresh database gets every table, each migration recorded once', async () => {
    const schema = await freshSchema();
    const stores = await openPostgresStateStores(schema.database());
    await stores.close();
    expect(await applied(schema)).toEqual(allVersions);
    expect(await tables(schema)).toEqual(
      ['answers', 'cooldowns', 'coverage_gap_salt', 'coverage_gaps', 'digest_drafts', 'digest_parts', 'digest_runs', 'feedback', 'feedback_expected', 'fetch_runs', MIGRATIONS_TABLE, 'settings', 'thread_turns', 'threads', 'watch_notices', 'watches'].sort(),
    );
  });

  it('re-running applies nothing twice and keeps the data; a later migration runs once', async () => {
    const schema = await freshSchema();
    const first = await openPostgresStateStores(schema.database());
    await first.settings.set('digest.topicIndex', 3);
    await first.close();
    const again = await openPostgresStateStores(schema.database());
    expect(await again.settings.get('digest.topicIndex')).toBe(3);
    await again.close();
    expect(await applied(schema)).toEqual(allVersions);

    const extended: Migration[] = [...STATE_MIGRATIONS, { version: STATE_MIGRATIONS.length + 1, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' }];
    const pool = poolOn(schema);
    expect(await applyMigrations(pool, STATE_COMPONENT, extended)).toBe(extended.length);
    expect(await applyMigrations(pool, STATE_COMPONENT, extended)).toBe(extended.length);
    expect(await applied(schema)).toEqual(extended.map((m) => m.version));
  });

  it('six processes starting at once on an empty database: all succeed, every migration ran exactly once', async () => {
    const schema = await freshSchema();
    const opened = await Promise.all(Array.from({ length: 6 }, (_, i) => openPostgresStateStores(schema.database({ poolMax: 1 + (i % 2) }))));
    await Promise.all(opened.map((stores) => stores.close()));
    expect(await applied(schema)).toEqual(allVersions);
  });

  it('a failing migration changes nothing: neither its tables nor its version', async () => {
    const schema = await freshSchema();
    const pool = poolOn(schema);
    const broken: Migration[] = [...STATE_MIGRATIONS, { version: STATE_MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); THIS IS NOT SQL' }];
    await expect(applyMigrations(pool, STATE_COMPONENT, broken)).rejects.toThrow(/syntax/);
    expect(await applied(schema)).toEqual(allVersions);
    expect(await tables(schema)).not.toContain('half');
  });

  it("a migration may run longer than the pool's statement timeout (a backfill of a large table); requests stay bounded", async () => {
    const schema = await freshSchema();
    const pool = new pg.Pool({ connectionString: schema.url, max: 1, statement_timeout: 100 });
    pools.push(pool);
    const slow: Migration[] = [{ version: 1, name: 'slow backfill', sql: 'SELECT pg_sleep(0.4); CREATE TABLE backfilled (x INTEGER)' }];
    expect(await applyMigrations(pool, 'slow', slow)).toBe(1);
    expect(await tables(schema)).toContain('backfilled');
    await expect(pool.query('SELECT pg_sleep(0.4)')).rejects.toThrow(/statement timeout/);
  });

  it('a database migrated by a newer paperbot is refused', async () => {
    const schema = await freshSchema();
    const pool = poolOn(schema);
    await applyMigrations(pool, STATE_COMPONENT, [...STATE_MIGRATIONS, { version: STATE_MIGRATIONS.length + 1, name: 'future', sql: 'SELECT 1' }]);
    await expect(applyMigrations(pool, STATE_COMPONENT, STATE_MIGRATIONS)).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(openPostgresStateStores(schema.database())).rejects.toThrow(/newer than this paperbot/);
  });

  it('components are versioned separately in one table', async () => {
    const schema = await freshSchema();
    const pool = poolOn(schema);
    await applyMigrations(pool, STATE_COMPONENT, STATE_MIGRATIONS);
    expect(await applyMigrations(pool, 'papers', [{ version: 1, name: 'papers', sql: 'CREATE TABLE papers_probe (id TEXT)' }])).toBe(1);
    expect(await applied(schema, 'papers')).toEqual([1]);
    expect(await applied(schema)).toEqual(allVersions);
  });
});

describe('PostgreSQL state stores: settings', () => {
  it('a stored setting that does not match its type is an error naming the key', async () => {
    const schema = await freshSchema();
    const stores = await openPostgresStateStores(schema.database());
    await queryTestDatabase(`INSERT INTO ${schema.name}.settings (key, value) VALUES ('digest.topics', '"not a list"')`);
    await expect(stores.settings.get('digest.topics')).rejects.toThrow(/digest\.topics is invalid/);
    await stores.close();
  });
});

describe('two processes writing one PostgreSQL state', () => {
  it('appending exchanges to one thread at the same time: nothing lost, no exchange split', async () => {
    const schema = await freshSchema();
    const stores = await openPostgresStateStores(schema.database());
    await expectTwoProcessesAppendCleanly(schema.url, stores, 200);
    await stores.close();
  }, 90_000);
});
