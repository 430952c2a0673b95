import { execFileSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCorpusFile } from '../../src/corpus/parse-corpus-file.js';
import { MAX_CORPUS_FILE_BYTES, readCorpusFile } from '../../src/corpus/read-corpus-file.js';
import { UserFacingError } from '../../src/errors.js';
import { rejection } from '../support/rejection.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'paperbot-read-'));

describe('readCorpusFile', () => {
  it('refuses a device such as /dev/zero without reading it', async () => {
    const error = await rejection(parseCorpusFile('/dev/zero', { format: 'jsonl' }));
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).code).toBe('corpus-file-not-regular');
    expect((error as Error).message).toBe('"/dev/zero" is a character device, not a file; corpus files must be ordinary text files.');
  });

  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    const fifo = path.join(tempDir(), 'papers.jsonl');
    execFileSync('mkfifo', [fifo]);
    await expect(readCorpusFile(fifo)).rejects.toThrow(/papers\.jsonl" is a named pipe \(FIFO\), not a file/);
  });

  it('refuses a folder', async () => {
    await expect(readCorpusFile(tempDir())).rejects.toThrow(/is a folder, not a file/);
  });

  it('refuses a file over the size limit without reading it', async () => {
    const file = path.join(tempDir(), 'huge.jsonl');
    writeFileSync(file, '');
    truncateSync(file, MAX_CORPUS_FILE_BYTES + 1); // sparse: no bytes are written
    const error = await rejection(readCorpusFile(file));
    expect((error as UserFacingError).code).toBe('corpus-file-too-large');
    expect((error as Error).message).toMatch(/huge\.jsonl" is larger than 256 MiB, the limit for one corpus file; split it into several files/);
  });

  it('reads a file that reports no size (/proc) to its end', async () => {
    const bytes = await readCorpusFile('/proc/self/status');
    expect(bytes.toString('utf8')).toMatch(/^Name:/);
    expect(bytes.toString('utf8')).toMatch(/\nPid:\s+\d+\n/);
  });

  it('reads an ordinary file exactly', async () => {
    const file = path.join(tempDir(), 'small.txt');
    writeFileSync(file, 'Title\nAn abstract. Two sentences.\n');
    expect((await readCorpusFile(file)).toString('utf8')).toBe('Title\nAn abstract. Two sentences.\n');
  });
});
