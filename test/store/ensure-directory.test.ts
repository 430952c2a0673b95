import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDirectory } from '../../src/store/ensure-directory.js';
import { rejection } from '../support/rejection.js';

describe('ensureDirectory', () => {
  it('creates missing parents and accepts an existing folder', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'paperbot-dir-'));
    const deep = path.join(root, 'a', 'b', 'c');
    await ensureDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await ensureDirectory(deep);
    await ensureDirectory(root);
  });

  it('fails at once with the file-system error on /proc, where mkdir -p would retry forever', async () => {
    const error = (await rejection(ensureDirectory('/proc/paperbot-data/corpus'))) as NodeJS.ErrnoException;
    expect(error.code).toBe('ENOENT');
    expect(error.syscall).toBe('mkdir');
    expect(error.path).toBe('/proc/paperbot-data');
    expect(existsSync('/proc/paperbot-data')).toBe(false);
  });

  it('reports a file in the way as ENOTDIR', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-dir-')), 'data');
    writeFileSync(file, 'not a folder');
    expect(((await rejection(ensureDirectory(file))) as NodeJS.ErrnoException).code).toBe('ENOTDIR');
    expect(((await rejection(ensureDirectory(path.join(file, 'corpus')))) as NodeJS.ErrnoException).code).toBe('ENOTDIR');
  });
});
