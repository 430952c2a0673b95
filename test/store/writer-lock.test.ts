import { mkdirSync, mkdtempSync, existsSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { IndexLockedError } from '../../src/store/index-errors.js';
import { acquireWriterLock } from '../../src/store/writer-lock.js';

const newIndexDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-lock-')), 'index');

describe('acquireWriterLock', () => {
  it('admits one writer at a time and names the holder', async () => {
    const indexDir = newIndexDir();
    const lock = await acquireWriterLock(indexDir);
    const error = await acquireWriterLock(indexDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexLockedError);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toMatch(new RegExp(`Another ingest is running \\(pid ${process.pid}`));
    await lock.release();
    const again = await acquireWriterLock(indexDir);
    await again.release();
  });

  it('waits for the holder when asked to, saying once whom it waits for', async () => {
    const indexDir = newIndexDir();
    const lock = await acquireWriterLock(indexDir);
    const waitedFor: (number | undefined)[] = [];
    const second = await acquireWriterLock(indexDir, {
      waitMs: 30_000,
      onWait: (owner) => {
        waitedFor.push(owner?.pid);
        void lock.release();
      },
    });
    expect(waitedFor).toEqual([process.pid]);
    second.assertHeld();
    await second.release();
  });

  it('recovers at once a lock whose owner process is dead', async () => {
    const indexDir = newIndexDir();
    mkdirSync(path.join(indexDir, 'writer.lock'), { recursive: true });
    // pid 2^22+1 is above Linux's default pid_max (4194304): no such process.
    writeFileSync(path.join(indexDir, 'writer.lock.owner.json'), JSON.stringify({ pid: 4_194_305, hostname: hostname(), startedAt: 'earlier' }));
    const lock = await acquireWriterLock(indexDir);
    await lock.release();
    expect(existsSync(path.join(indexDir, 'writer.lock'))).toBe(false);
  });

  it('treats an old lock without owner as stale (mtime check)', async () => {
    const indexDir = newIndexDir();
    const lockDir = path.join(indexDir, 'writer.lock');
    mkdirSync(lockDir, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockDir, old, old);
    const lock = await acquireWriterLock(indexDir);
    await lock.release();
  });

  it('does not steal a fresh lock without owner information', async () => {
    const indexDir = newIndexDir();
    mkdirSync(path.join(indexDir, 'writer.lock'), { recursive: true });
    await expect(acquireWriterLock(indexDir)).rejects.toBeInstanceOf(IndexLockedError);
  });
});
