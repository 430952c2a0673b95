import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { TEST_PROJECT_ROOT } from '../support/load-test-corpus.js';
import { nodeArgsFor } from '../support/run-cli.js';

// The bot's entry points refuse a setup that cannot work, in one line, before connecting to Discord.
// (Nothing here needs a database server: the "unreachable" one is a closed port.)

const PASSWORD = 'hunter2-db-secret';
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function run(entry: 'start-bot' | 'start-sharded', env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'paperbot-dbfault-'));
  dirs.push(cwd);
  const child = spawn(process.execPath, nodeArgsFor(path.join(TEST_PROJECT_ROOT, 'src', 'bot', `${entry}.ts`)), {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PAPERBOT_DATA_DIR: cwd, DISCORD_TOKEN: 'fake-token', DISCORD_API_BASE: 'http://127.0.0.1:9/api', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('a database that cannot be reached at start-up', () => {
  it('npm start: one line naming DATABASE_URL with the password masked, exit 2; the password is in no output', async () => {
    const port = await closedPort();
    const result = await run('start-bot', { DATABASE_URL: `postgres://paperbot:${PASSWORD}@127.0.0.1:${port}/paperbot`, PAPER_STORE: 'local' });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot use the database at DATABASE_URL=postgres://[redacted]@127.0.0.1:${port}/paperbot`);
    expect(lines[0]).toMatch(/ECONNREFUSED/);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(result.stdout).toContain('"event":"start-failed"');
  }, 60_000);

  it('npm run start:sharded: the same line and exit 2, before any shard is started', async () => {
    const port = await closedPort();
    const result = await run('start-sharded', { DATABASE_URL: `postgres://paperbot:${PASSWORD}@127.0.0.1:${port}/paperbot`, PAPER_STORE: 'local' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(new RegExp(`^paperbot-shards could not start: cannot use the database at DATABASE_URL=postgres://\\[redacted\\]@127\\.0\\.0\\.1:${port}/paperbot: .*ECONNREFUSED`));
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(result.stdout).not.toContain('shard-spawned');
  }, 60_000);
});

describe('sharding on the embedded SQLite state', () => {
  it('npm run start:sharded without DATABASE_URL is refused: sharding needs DATABASE_URL, exit 2', async () => {
    const result = await run('start-sharded', {});
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'paperbot-shards could not start: sharding needs DATABASE_URL: every shard is its own process, and the embedded SQLite state can be used by one process only. ' +
        'Set DATABASE_URL=postgres://… (see "Scaling out" in the README), or run one process with npm start.',
    );
  }, 60_000);

  it('a shard process started without DATABASE_URL refuses too, before touching the state', async () => {
    const result = await run('start-bot', { SHARDING_MANAGER: 'true', SHARDS: '0', SHARD_COUNT: '2' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sharding needs DATABASE_URL');
  }, 60_000);
});

describe('PAPER_STORE=postgres (the default with DATABASE_URL)', () => {
  it('with the database unreachable: the sharding manager stops in one line naming DATABASE_URL, exit 2', async () => {
    const port = await closedPort();
    const result = await run('start-sharded', { DATABASE_URL: `postgres://paperbot:${PASSWORD}@127.0.0.1:${port}/paperbot` });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot use the database at DATABASE_URL=postgres://[redacted]@127.0.0.1:${port}/paperbot`);
    expect(result.stderr + result.stdout).not.toContain(PASSWORD);
  }, 60_000);
});
