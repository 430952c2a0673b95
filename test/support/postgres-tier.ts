/**
 * vitest globalSetup for the PostgreSQL test tier (files named `*.postgres.test.ts`).
 *
 * With TEST_DATABASE_URL (a server the tests may create databases on, e.g.
 * postgres://postgres@127.0.0.1:5432/test), it creates one database for this run, hands its URL to
 * the tests (`inject('postgresUrl')`) and drops it at the end. An unreachable server fails the run.
 * Without it, the tier's files are not collected (vitest.config.ts) and one line says so.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { maskSecrets } from '../../src/text/mask-secrets.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database of its own for this test run (PostgreSQL tier only). */
    postgresUrl: string;
  }
}

/** Files of the tier: collected only when TEST_DATABASE_URL is set. */
export const POSTGRES_TIER_FILES = 'test/**/*.postgres.test.ts';

/** How many files the tier has (for the "not run" line). */
function countTierFiles(root: string): number {
  return readdirSync(path.join(root, 'test'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.postgres.test.ts')).length;
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const files = countTierFiles(project.config.root);
    return async () => {
      console.log(`\nPostgreSQL tier (${files} files, ${POSTGRES_TIER_FILES}): not run — TEST_DATABASE_URL is not set (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test; .ci/run sets it).\n`);
    };
  }
  const database = `paperbot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw new Error(`PostgreSQL tier: cannot use TEST_DATABASE_URL=${maskSecrets(serverUrl)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  await admin.end();
  project.provide('postgresUrl', databaseUrl(serverUrl, database));
  console.log(`PostgreSQL tier: running against ${maskSecrets(serverUrl)} in the database ${database} (dropped at the end).`);
  return async () => {
    const dropper = new pg.Client({ connectionString: serverUrl });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await dropper.end();
  };
}
