import { hostname } from 'node:os';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { writeFileAtomic } from './atomic-file.js';
import { IndexLockedError } from './index-errors.js';

const LOCK_NAME = 'writer.lock';
const OWNER_NAME = 'writer.lock.owner.json';
/** proper-lockfile refreshes the lock's mtime every STALE_MS / 2; an older lock is stale. */
const STALE_MS = 15_000;

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
}

function isProcessAlive(pid: number): boolean {
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

/**
 * Take the single-writer lock of an index folder (proper-lockfile directory lock, kept fresh while
 * held). When it is held by a live process, fail with IndexLockedError naming its pid (after waiting
 * up to `waitMs`). A lock whose owner process on this host is dead is removed and retaken at once;
 * any other abandoned lock becomes stale after 15 s (proper-lockfile's mtime check).
 */
export async function acquireWriterLock(indexDir: string, options: AcquireWriterLockOptions = {}): Promise<WriterLock> {
  await mkdir(indexDir, { recursive: true });
  const lockPath = path.join(indexDir, LOCK_NAME);
  const ownerPath = path.join(indexDir, OWNER_NAME);
  const deadline = Date.now() + (options.waitMs ?? 0);
  let compromised: Error | undefined;

  let recoveries = 0;
  for (;;) {
    try {
      const release = await lockfile.lock(indexDir, {
        lockfilePath: lockPath,
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
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const owner = await readOwner(ownerPath);
      if (owner && owner.hostname === hostname() && owner.pid !== process.pid && !isProcessAlive(owner.pid) && recoveries < 3) {
        recoveries += 1;
        // The writer died (e.g. kill -9) without releasing: recover its lock now, unless someone else already did.
        const again = await readOwner(ownerPath);
        if (again && again.pid === owner.pid && again.startedAt === owner.startedAt) {
          await rm(lockPath, { recursive: true, force: true });
          await rm(ownerPath, { force: true });
        }
        continue;
      }
      if (Date.now() >= deadline) throw new IndexLockedError(indexDir, owner);
      await sleep(Math.min(250, Math.max(10, deadline - Date.now())));
    }
  }
}
