import { existsSync } from 'node:fs';
import { cp, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { createPaperbot } from '../../src/app/create-paperbot.js';
import { loadConfig } from '../../src/config.js';
import { MANIFEST_FILE } from '../../src/store/index-layout.js';
import { makeDataDir } from './run-cli.js';

/** Build the index of the bundled corpus in `dir` (a data directory made by makeDataDir). */
async function buildIndex(dir: string): Promise<void> {
  const paperbot = await createPaperbot(loadConfig({ PAPERBOT_DATA_DIR: dir }));
  await paperbot.close();
}

/**
 * This run's data directory with the bundled corpus and its built index, read-only: built by the first
 * file that asks (in a folder of its own, then renamed into place, so two files building at once never
 * see a half-built one; the loser's copy is discarded).
 */
async function sharedTemplate(): Promise<string | undefined> {
  const root = inject('indexTemplateRoot');
  if (!root) return undefined;
  const template = path.join(root, 'template');
  if (existsSync(path.join(template, 'index', MANIFEST_FILE))) return template;
  const building = await makeDataDir();
  await buildIndex(building);
  try {
    await rename(building, template);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
    await rm(building, { recursive: true, force: true });
  }
  return template;
}

/**
 * A fresh data directory holding the bundled corpus and its built index, as the first use of the CLI or
 * the bot leaves it: a copy (timestamps kept, so the index is up to date with its corpus) of one index
 * built once per test run. For tests of what happens on first use, use makeDataDir.
 */
export async function makeIndexedDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-indexed-'));
  const template = await sharedTemplate();
  if (template) {
    await cp(template, dir, { recursive: true, preserveTimestamps: true });
    return dir;
  }
  await rm(dir, { recursive: true });
  const own = await makeDataDir();
  await buildIndex(own);
  return own;
}
