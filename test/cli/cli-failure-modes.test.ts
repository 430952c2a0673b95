import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { makeIndexedDataDir } from '../support/indexed-data-dir.js';
import { runCliInProcess } from '../support/run-cli.js';

/** What a new user hits off the happy path: unreachable servers, pipes, name clashes, bad files. */

let dataDir: string;
let env: Record<string, string>;
let scratch: string;

const STACK = /\n\s+at /;
const JSON_LOG = /\{"level":/;

beforeAll(async () => {
  dataDir = await makeIndexedDataDir();
  env = { PAPERBOT_DATA_DIR: dataDir };
  scratch = await mkdtemp(path.join(os.tmpdir(), 'paperbot-cli-scratch-'));
  const first = await runCliInProcess(['papers', '--json'], { env });
  expect(first.code).toBe(0);
}, 120_000);

const paperLine = (title: string) => JSON.stringify({ title, abstract: `${title} is studied here. We report results on it.` });

async function paperTitles(runEnv: Record<string, string>): Promise<string[]> {
  const run = await runCliInProcess(['papers', '--json'], { env: runEnv });
  expect(run.code).toBe(0);
  return run.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { title: string }).title);
}

describe('an unreachable model server', () => {
  const unreachable = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_TIMEOUT_MS: '1000', OPENAI_MAX_RETRIES: '0' };

  it('gives the fallback answer with its notice and no JSON log lines or stack on stderr by default', async () => {
    const run = await runCliInProcess(['ask', 'how does VideoMAE V2 scale video masked autoencoders?', '--json'], { env: { ...env, ...unreachable } });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { mode: string; notice: string };
    expect(result.mode).toBe('extractive');
    expect(result.notice).toBe('The language model is unavailable right now (it could not be reached); here are the most relevant passages instead.');
    expect(run.stdout).not.toContain('127.0.0.1');
    expect(run.stderr).toBe('paperbot: the language model call failed; run with LOG_LEVEL=warn to see why.\n');
    expect(run.stderr).not.toMatch(JSON_LOG);
    expect(run.stderr).not.toMatch(STACK);
  });

  it('still logs the fallback warning when LOG_LEVEL=warn', async () => {
    const run = await runCliInProcess(['ask', 'how does VideoMAE V2 scale video masked autoencoders?', '--json'], { env: { ...env, ...unreachable, LOG_LEVEL: 'warn' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/"level":40.*could not connect to the model server at http:\/\/127\.0\.0\.1:9/);
    expect(run.stderr).toMatch(/"level":40.*answering extractively/);
    expect(run.stderr).not.toContain('LOG_LEVEL=warn to see why');
  });
});

describe('paperbot ingest safety', () => {
  it('refuses a file named like an existing corpus file unless --replace, documented in --help', async () => {
    const own = await makeIndexedDataDir();
    const ownEnv = { PAPERBOT_DATA_DIR: own };
    const dir = await mkdtemp(path.join(scratch, 'clash-'));
    const clash = path.join(dir, 'hf-trending-papers.txt');
    await writeFile(
      clash,
      'A Paper That Would Replace the Corpus\nWe study what happens when a user file shares its name with the bundled corpus file. ' +
        'Without a guard, the copy silently replaces the corpus and removes hundreds of papers from the index.\n',
    );
    const refused = await runCliInProcess(['ingest', clash], { env: ownEnv });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already has a file named hf-trending-papers\.txt.*--replace/);
    expect(await paperTitles(ownEnv)).toHaveLength(252);

    const help = await runCliInProcess(['ingest', '--help'], { env: ownEnv });
    expect(help.stdout).toMatch(/--replace/);

    const replaced = await runCliInProcess(['ingest', clash, '--replace'], { env: ownEnv });
    expect(replaced.code).toBe(0);
    expect(replaced.stderr).toMatch(/Replaced hf-trending-papers\.txt in .*: 1 paper\./);
    expect(replaced.stdout).toMatch(/— 1 paper in /);
    expect(await paperTitles(ownEnv)).toEqual(['A Paper That Would Replace the Corpus']);
  }, 90_000);

  it('refuses a binary file named .txt, naming it', async () => {
    const file = path.join(scratch, 'photo.txt');
    const bytes = Buffer.alloc(2048);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 131 + 7) % 256;
    await writeFile(file, bytes);
    const run = await runCliInProcess(['ingest', file], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/photo\.txt.*not a text file/);
    expect(await readdir(path.join(dataDir, 'corpus'))).not.toContain('photo.txt');
  });
});

describe('paperbot ingest with another embedder than the index', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer({ embeddingDimensions: 24 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses before copying anything into the corpus folder', async () => {
    const file = path.join(scratch, 'mismatch.jsonl');
    await writeFile(file, `${paperLine('Embedder Mismatch Study')}\n`);
    const remoteEnv = { ...env, EMBEDDING_MODEL: 'fake-embedder', EMBEDDING_BASE_URL: server.baseURL, OPENAI_API_KEY: 'test-key' };
    const run = await runCliInProcess(['ingest', file], { env: remoteEnv });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/paperbot ingest --rebuild/);
    expect(await readdir(path.join(dataDir, 'corpus'))).not.toContain('mismatch.jsonl');
  });
});

describe('file-system and input errors are one clear line, not "internal error"', () => {
  const oneClearLine = (run: { code: number | null; stderr: string }, pattern: RegExp) => {
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.stderr).not.toMatch(STACK);
  };

  it('eval --file that is missing, a folder, or not JSON', async () => {
    oneClearLine(await runCliInProcess(['eval', '--file', path.join(scratch, 'no-such.jsonl')], { env }), /no-such\.jsonl: cannot read/);
    oneClearLine(await runCliInProcess(['eval', '--file', scratch], { env }), /cannot read/);
    const bad = path.join(scratch, 'bad-questions.jsonl');
    await writeFile(bad, '{"question": \n');
    oneClearLine(await runCliInProcess(['eval', '--file', bad], { env }), /bad-questions\.jsonl:1: not valid JSON/);
  });

  it('feedback --export --out into a missing folder or onto a folder', async () => {
    const missing = path.join(scratch, 'missing-folder', 'votes.jsonl');
    oneClearLine(await runCliInProcess(['feedback', '--export', '--out', missing], { env }), new RegExp(`cannot write ${missing.replace(/[.]/g, '\\.')}: no such file or directory \\(ENOENT\\)`));
    const folder = path.join(scratch, 'a-folder');
    await mkdir(folder, { recursive: true });
    oneClearLine(await runCliInProcess(['feedback', '--export', '--out', folder], { env }), /a-folder: is a directory \(EISDIR\)/);
  });

  it('ingest with PAPERBOT_DATA_DIR that is a file', async () => {
    const file = path.join(scratch, 'data-dir-is-a-file');
    await writeFile(file, 'not a folder');
    oneClearLine(await runCliInProcess(['ingest'], { env: { PAPERBOT_DATA_DIR: file } }), /data-dir-is-a-file.*not a directory \(ENOTDIR\)/);
  });

  it('an unreachable embedding server', async () => {
    const run = await runCliInProcess(['search', 'video'], {
      env: { ...env, EMBEDDING_MODEL: 'nomic-embed-text', EMBEDDING_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_TIMEOUT_MS: '1000', OPENAI_MAX_RETRIES: '0' },
    });
    oneClearLine(run, /embedding model/);
  });
});

describe('exit codes and batches', () => {
  it('exits 2 for usage errors: search with no query, or with both a query and --file', async () => {
    const none = await runCliInProcess(['search'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give a query/);
    const file = path.join(scratch, 'usage-queries.txt');
    await writeFile(file, 'video\n');
    const both = await runCliInProcess(['search', 'a', '--file', file], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
  });

  it('search --file answers every valid line, reports bad lines by number, and exits 1 at the end', async () => {
    const file = path.join(scratch, 'mixed-queries.txt');
    await writeFile(file, ['video masked autoencoders', 'x'.repeat(5000), '', 'continual learning with prompts'].join('\n'));
    const run = await runCliInProcess(['search', '--file', file, '--json'], { env });
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { query: string }).query);
    expect(lines).toEqual(['video masked autoencoders', 'continual learning with prompts']);
    expect(run.stderr).toMatch(/^paperbot: line 2: .*1,?000/m);
    expect(run.stderr).not.toMatch(/line [134]:/);
  });

  it('feedback --export --out with no bot database writes an empty file', async () => {
    const out = path.join(scratch, 'no-votes.jsonl');
    const run = await runCliInProcess(['feedback', '--export', '--out', out], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/No feedback yet/);
    expect(existsSync(out)).toBe(true);
    expect(await readFile(out, 'utf8')).toBe('');
  });
});
