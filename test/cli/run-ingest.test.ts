import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../src/cli/run-ingest.js';
import { loadConfig, type Config } from '../../src/config.js';
import { IndexLockedError } from '../../src/store/index-errors.js';
import { openPaperIndex } from '../../src/store/open-paper-index.js';
import { acquireWriterLock } from '../../src/store/writer-lock.js';
import { rejection } from '../support/rejection.js';

const bundled = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'corpus', 'hf-trending-papers.txt');
const VIDEOMAE = 'VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking';

/** A data folder holding the bundled corpus, as `paperbot ingest` would use it. */
function newConfig(): Config {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'paperbot-run-ingest-'));
  mkdirSync(path.join(dataDir, 'corpus'));
  cpSync(bundled, path.join(dataDir, 'corpus', 'hf-trending-papers.txt'));
  return loadConfig({ PAPERBOT_DATA_DIR: dataDir });
}

function hijackFile(name: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-hijack-')), name);
  writeFileSync(file, `${JSON.stringify({ title: VIDEOMAE, abstract: 'A hijacked abstract. It replaces the real one.' })}\n`);
  return file;
}

/** A stream that keeps what is written to it. */
function collector(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

/** Run `paperbot ingest` in this process, capturing what it prints. */
async function ingest(config: Config, files: string[], options: { replace?: boolean } = {}): Promise<{ stdout: string; stderr: string }> {
  const io = { stdout: collector(), stderr: collector() };
  await runIngest(config, files, { rebuild: false, replace: options.replace ?? false, format: undefined }, io);
  return { stdout: io.stdout.text, stderr: io.stderr.text };
}

async function abstractOf(config: Config, title: string): Promise<string | undefined> {
  return (await openPaperIndex({ indexDir: config.indexDir })).papers.find((paper) => paper.title === title)?.abstract;
}

describe('paperbot ingest of a file repeating a paper already in the corpus', () => {
  it('keeps the paper already there whatever the new file is called, and says which record it skipped', async () => {
    const config = newConfig();
    await ingest(config, []);
    const original = await abstractOf(config, VIDEOMAE);
    expect(original).toMatch(/^Scale is the primary factor/);
    // As in a data folder made before the order of corpus files was recorded.
    rmSync(path.join(config.corpusDir, '.corpus-order.json'));

    for (const name of ['aa-hijack.jsonl', 'zz-hijack.jsonl']) {
      const run = await ingest(config, [hijackFile(name)]);
      expect(run.stdout).toMatch(/0 added, 0 updated, 252 unchanged, 0 removed, \d+ skipped/);
      expect(run.stderr).toMatch(new RegExp(`skipped ${name}:1: duplicate of "VideoMAE V2: Scaling Video.*" from hf-trending-papers\\.txt:3, .*--replace`));
      expect(await abstractOf(config, VIDEOMAE)).toBe(original);
    }
  });

  it('lets the new file win when asked with --replace', async () => {
    const config = newConfig();
    await ingest(config, []);
    const run = await ingest(config, [hijackFile('aa-hijack.jsonl')], { replace: true });
    expect(run.stdout).toMatch(/0 added, 1 updated, 251 unchanged/);
    expect(run.stderr).toMatch(/skipped hf-trending-papers\.txt:3: duplicate of "VideoMAE V2.*" from aa-hijack\.jsonl:1/);
    expect(await abstractOf(config, VIDEOMAE)).toBe('A hijacked abstract. It replaces the real one.');
  });
});

describe('paperbot ingest while another ingest holds the lock', () => {
  it('is refused before it copies anything into the corpus folder', async () => {
    const config = newConfig();
    await ingest(config, []);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-locked-')), 'new-papers.jsonl');
    writeFileSync(file, `${JSON.stringify({ title: 'A Paper Added While Locked', abstract: 'It must not reach the corpus. Nothing is copied.' })}\n`);
    const lock = await acquireWriterLock(config.indexDir);
    try {
      const error = await rejection(ingest(config, [file]));
      expect(error).toBeInstanceOf(IndexLockedError);
      expect(error.message).toMatch(/^Another ingest is running/);
    } finally {
      await lock.release();
    }
    expect(readdirSync(config.corpusDir)).not.toContain('new-papers.jsonl');
    expect(existsSync(path.join(config.corpusDir, 'new-papers.jsonl'))).toBe(false);
    const next = await ingest(config, []);
    expect(next.stdout).toMatch(/0 added, 0 updated, 252 unchanged/);
  });
});
