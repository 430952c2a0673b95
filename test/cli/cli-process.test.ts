import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { makeIndexedDataDir } from '../support/indexed-data-dir.js';
import { makeDataDir, PROJECT_DIR, runCli, runCliInProcess } from '../support/run-cli.js';

/**
 * What only a real process shows: the exit status the shell sees, `.env` read from the working
 * directory, a reader of stdout that goes away (`| head`), and the `npx paperbot` launcher.
 * Everything else about the CLI runs in-process (cli.test.ts, cli-failure-modes.test.ts).
 */

/** Each case starts Node processes (each loads the CLI): slow on a busy machine. */
const PROCESS_TEST_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

let dataDir: string;
let env: Record<string, string>;
let scratch: string;

beforeAll(async () => {
  dataDir = await makeIndexedDataDir();
  env = { PAPERBOT_DATA_DIR: dataDir };
  scratch = await mkdtemp(path.join(os.tmpdir(), 'paperbot-cli-process-'));
  // The index is built already (a copy), so the spawned runs below only load it.
  expect((await runCliInProcess(['papers', '--json'], { env })).code).toBe(0);
}, 120_000);

describe('exit status of the process', () => {
  it('is 1 for bad input, with one line on stderr (the status of each error category: cli-failure-modes.test.ts)', async () => {
    const bad = await runCli(['compare', 'DualPrompt', 'Zorblax Quantum Pancakes'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^paperbot: .*Zorblax Quantum Pancakes/);
  });

  it('is 2 for a bad value in .env (read from the working directory), naming it and masking credentials in URLs', async () => {
    const cwd = await mkdtemp(path.join(scratch, 'dotenv-'));
    await writeFile(path.join(cwd, '.env'), `PAPERBOT_DATA_DIR=${dataDir}\nOPENAI_BASE_URL=ftp://admin:hunter2-secret@models.example.org/v1\n`);
    const run = await runCli(['search', 'x'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/OPENAI_BASE_URL/);
    expect(run.stderr).toContain('ftp://[redacted]@models.example.org/v1');
    expect(run.stderr).not.toContain('hunter2-secret');
    expect(run.stderr).not.toContain('admin');
  });
});

describe('a closed output pipe (`| head`)', () => {
  it('exits 0 quietly when stdout is closed while listing papers', async () => {
    const run = await runCli(['papers'], { env, closeStdout: true });
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(run.code).toBe(0);
  });

  it('exits 0 quietly when stdout is closed during search --file --json', async () => {
    const file = path.join(scratch, 'pipe-queries.txt');
    await writeFile(file, 'video masked autoencoders\ncontinual learning with prompts\n');
    const run = await runCli(['search', '--file', file, '--json'], { env, closeStdout: true });
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(run.code).toBe(0);
  });

  it('finishes a rebuild when stderr (progress) is closed', async () => {
    const own = await makeDataDir();
    const run = await runCli(['ingest', '--rebuild'], { env: { PAPERBOT_DATA_DIR: own }, closeStderr: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Index rebuilt .*252 added.*252 papers/);
  });
});

describe('the npx launcher (bin/paperbot.js)', () => {
  it('runs the compiled CLI from any working directory', async () => {
    // The build is made by `npm ci` (prepare) or `npm run build`.
    expect(existsSync(path.join(PROJECT_DIR, 'dist', 'src', 'cli', 'main.js'))).toBe(true);
    const run = await runCli(['papers', '--json'], { env, launcher: true, cwd: scratch });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(252);
  });
});
