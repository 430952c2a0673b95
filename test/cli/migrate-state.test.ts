import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import { stateDatabasePath } from '../../src/state/sqlite/open-state-database.js';
import { closedPort } from '../support/closed-port.js';
import { runCliInProcess } from '../support/run-cli.js';

// `paperbot migrate` where no database server is needed (the copy itself: the PostgreSQL tier).

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-migrate-'));
  dirs.push(dir);
  return dir;
}

describe('paperbot migrate', () => {
  it('--to that is not a postgres:// URL is a usage error (exit 2), its password masked', async () => {
    const run = await runCliInProcess(['migrate', '--to', 'mysql://bot:hunter2-secret@db/paperbot'], { env: { PAPERBOT_DATA_DIR: dataDir() } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--to must be a postgres:// URL');
    expect(run.stderr).not.toContain('hunter2');
  });

  it('with no embedded bot state says there is nothing to copy, without connecting', async () => {
    const dir = dataDir();
    const run = await runCliInProcess(['migrate', '--to', 'postgres://bot:pw@127.0.0.1:1/paperbot'], { env: { PAPERBOT_DATA_DIR: dir } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Bot state: nothing to copy (${stateDatabasePath(path.join(dir, 'state'))} does not exist).`);
  });

  it('a database that cannot be reached: one line naming --to with the password masked, exit 2', async () => {
    const dir = dataDir();
    await openSqliteStateStores(stateDatabasePath(path.join(dir, 'state'))).close();
    const port = await closedPort();
    const run = await runCliInProcess(['migrate', '--to', `postgres://bot:hunter2-secret@127.0.0.1:${port}/paperbot`], { env: { PAPERBOT_DATA_DIR: dir } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot use the database at --to=postgres://[redacted]@127.0.0.1:${port}/paperbot: connect ECONNREFUSED`);
    expect(run.stderr).not.toContain('hunter2');
  });
});
