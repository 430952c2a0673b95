import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';

/** The database of this test run (PostgreSQL tier files only; see postgres-tier.ts). */
export function postgresTestUrl(): string {
  return inject('postgresUrl');
}

/** `url` with every connection's search_path set to `schema` (what DATABASE_URL may carry too). */
export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

export interface TestSchema {
  name: string;
  /** The run's database URL with this schema as the search path. */
  url: string;
  database(overrides?: Partial<DatabaseConfig>): DatabaseConfig;
  drop(): Promise<void>;
}

/** Run SQL on the run's database with a short-lived connection. */
export async function queryTestDatabase<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** A new, empty schema in the run's database; `drop()` removes it with everything in it. */
export async function createTestSchema(): Promise<TestSchema> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await queryTestDatabase(`CREATE SCHEMA ${name}`);
  const url = withSearchPath(postgresTestUrl(), name);
  return {
    name,
    url,
    database: (overrides = {}) => ({ url, poolMax: 10, statementTimeoutMs: 10_000, ...overrides }),
    drop: async () => {
      await queryTestDatabase(`DROP SCHEMA ${name} CASCADE`);
    },
  };
}
