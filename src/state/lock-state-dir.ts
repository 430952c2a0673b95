import { UserFacingError } from '../errors.js';
import { IndexLockedError } from '../store/index-errors.js';
import { acquireWriterLock } from '../store/writer-lock.js';

/** A second bot process was started on embedded state another live process is using. */
export class StateLockedError extends UserFacingError {
  readonly pid: number | undefined;
  constructor(stateDir: string, pid: number | undefined) {
    super(
      'state-locked',
      `another paperbot is running${pid ? ` (pid ${pid})` : ''} on the bot state in ${stateDir}: stop it first, or give this one its own PAPERBOT_DATA_DIR. ` +
        'A lock left by a process that died is recovered automatically.',
    );
    this.pid = pid;
  }
}

export interface StateDirLock {
  release(): Promise<void>;
}

/**
 * One bot process per embedded state directory (the SQLite file is not shared between bots). Uses the
 * same single-writer lock as the index (proper-lockfile, owner pid recorded, a dead owner's lock
 * recovered at once); a live owner → StateLockedError naming its pid.
 */
export async function lockStateDir(stateDir: string): Promise<StateDirLock> {
  try {
    const lock = await acquireWriterLock(stateDir);
    return { release: () => lock.release() };
  } catch (error) {
    if (error instanceof IndexLockedError) throw new StateLockedError(stateDir, error.pid);
    throw error;
  }
}
