/**
 * vitest globalSetup: every temporary file of this run — the test files', their workers', the bot and
 * CLI processes they start — goes under one folder (TMPDIR, which os.tmpdir() reads and child processes
 * inherit), removed at the end of the run, so no test leaves folders behind in the system's /tmp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(path.join(os.tmpdir(), 'paperbot-test-run-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
