import { hostname } from 'node:os';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { writeFileAtomic } from './atomic-file.js';
import { ensureDirectory } from './ensure-directory.js';
import { IndexLockedError } from './index-errors.js';

const LOCK_NAME = 'writer.lock';
const OWNER_NAME = 'writer.lock.owner.json';
/** proper-lockfile refreshes the lock's mtime every STALE_MS / 2; an older lock is stale. */
const STALE_MS = 15_000;
/** Retakes of a dead owner's lock in one acquire (another process may be recovering it too). */
const MAX_RECOVERIES = 3;
/** Polling interval while waiting for another writer. */
const POLL_MIN_MS = 10;
const POLL_MAX_MS = 250;

interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export interface WriterLock {
  /** Throws when the lock was lost (e.g. the machine stalled past the stale threshold): do not commit then. */
  assertHeld(): void;
  release(): Promise<void>;
}

export interface AcquireWriterLockOptions {
  /** How long to wait for another writer to finish before failing with IndexLockedError (default 0). */
  waitMs?: number;
  /** Called once when the lock is held by another live writer and we wait for it. */
  onWait?: (owner: { pid: number } | undefined) => void;
}

/** Whether a process with this pid is running (signal 0; EPERM: it is, someone else's). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(ownerPath: string): Promise<LockOwner | undefined> {
  try {
    const value = JSON.parse(await readFile(ownerPath, 'utf8')) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string') {
      return { pid: value.pid, hostname: value.hostname, startedAt: String(value.startedAt ?? '') };
    }
  } catch {
    // Missing or half-written owner file: treat the owner as unknown.
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function lockOnce(indexDir: string): Promise<WriterLock> {
  const ownerPath = path.join(indexDir, OWNER_NAME);
  let compromised: Error | undefined;
  const release = await lockfile.lock(indexDir, {
    lockfilePath: path.join(indexDir, LOCK_NAME),
    realpath: false,
    stale: STALE_MS,
    retries: 0,
    onCompromised: (error) => {
      compromised = error;
    },
  });
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  await writeFileAtomic(ownerPath, JSON.stringify(owner));
  return {
    assertHeld() {
      if (compromised) throw new Error(`The index writer lock in ${indexDir} was lost: ${compromised.message}`);
    },
    async release() {
      await rm(ownerPath, { force: true });
      if (!compromised) await release();
    },
  };
}

function diedOnThisHost(owner: LockOwner | undefined): owner is LockOwner {
  return owner !== undefined && owner.hostname === hostname() && owner.pid !== process.pid && !isProcessAlive(owner.pid);
}

/** Remove the lock of a writer that died without releasing it, unless someone else already did. */
async function removeDeadOwnersLock(indexDir: string, dead: LockOwner): Promise<void> {
  const again = await readOwner(path.join(indexDir, OWNER_NAME));
  if (again && again.pid === dead.pid && again.startedAt === dead.startedAt) {
    await rm(path.join(indexDir, LOCK_NAME), { recursive: true, force: true });
    await rm(path.join(indexDir, OWNER_NAME), { force: true });
  }
}

/**
 * Take the single-writer lock of an index folder (proper-lockfile directory lock, kept fresh while
 * held). When it is held by a live process, fail with IndexLockedError naming its pid (after waiting
 * up to `waitMs`). A lock whose owner process on this host is dead is removed and retaken at once;
 * any other abandoned lock becomes stale after STALE_MS (proper-lockfile's mtime check).
 */
export async function acquireWriterLock(indexDir: string, options: AcquireWriterLockOptions = {}): Promise<WriterLock> {
  await ensureDirectory(indexDir);
  const deadline = Date.now() + (options.waitMs ?? 0);
  let recoveries = 0;
  let waiting = false;
  for (;;) {
    try {
      return await lockOnce(indexDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const owner = await readOwner(path.join(indexDir, OWNER_NAME));
      if (diedOnThisHost(owner) && recoveries < MAX_RECOVERIES) {
        recoveries += 1;
        await removeDeadOwnersLock(indexDir, owner);
        continue;
      }
      if (Date.now() >= deadline) throw new IndexLockedError(indexDir, owner);
      if (!waiting) options.onWait?.(owner);
      waiting = true;
      await sleep(Math.min(POLL_MAX_MS, Math.max(POLL_MIN_MS, deadline - Date.now())));
    }
  }
}

/** Run `work` under the writer lock of `indexDir` (see acquireWriterLock), releasing it afterwards. */
export async function withWriterLock<T>(indexDir: string, options: AcquireWriterLockOptions, work: (lock: WriterLock) => Promise<T>): Promise<T> {
  const lock = await acquireWriterLock(indexDir, options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}
