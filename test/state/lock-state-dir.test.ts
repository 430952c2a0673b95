import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { lockStateDir, StateLockedError } from '../../src/state/lock-state-dir.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function stateDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-state-lock-'));
  dirs.push(dir);
  return path.join(dir, 'state');
}

describe('lockStateDir', () => {
  it('admits one holder, names it to the next, and is free again once released', async () => {
    const dir = stateDir();
    const lock = await lockStateDir(dir);
    const refused = await lockStateDir(dir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StateLockedError);
    expect(refused).toBeInstanceOf(UserFacingError);
    expect((refused as StateLockedError).message).toContain(`another paperbot is running (pid ${process.pid}) on the bot state in ${dir}`);
    expect((refused as StateLockedError).pid).toBe(process.pid);
    await lock.release();
    const again = await lockStateDir(dir);
    await again.release();
  });
});
