/**
 * vitest globalSetup: the project's TypeScript (src, commands, test) compiled to JavaScript once at the
 * start of the run, from the working tree as it is then (esbuild, the transpiler tsx uses, ≈0.3 s), for
 * the processes the tests start: a bot, the CLI, a shard, a child ingest. Node runs those files as they
 * are, so a process no longer pays tsx's start-up and per-module hooks (≈0.4 s each, ≈0.8 s while its
 * cache is cold) — and it is never a stale build like dist/ can be.
 *
 * The files go under node_modules/.cache (inside the project, so they find node_modules and the project
 * root as the sources do), one folder per run (and per rerun in watch mode), removed at the end (and those
 * of runs that were killed, at the start of the next).
 */
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { compileTypeScript } from '../../scripts/compile-typescript.js';
import { isProcessAlive } from '../../src/store/writer-lock.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run's compiled copy of the project's TypeScript is (see nodeArgsFor in run-cli.ts). */
    compiledSourcesRoot: string;
  }
}

const FOLDERS = ['src', 'commands', 'test'];
const PREFIX = 'paperbot-test-sources-';
let compiles = 0;

/** Folders left by runs whose process is gone. */
async function removeAbandoned(cacheDir: string): Promise<void> {
  if (!existsSync(cacheDir)) return;
  for (const name of readdirSync(cacheDir)) {
    const pid = Number(/^paperbot-test-sources-(\d+)-/.exec(name)?.[1]);
    if (pid && !isProcessAlive(pid)) await rm(path.join(cacheDir, name), { recursive: true, force: true });
  }
}

/** Compile every TypeScript file of the project into a new folder under `cacheDir`. */
async function compileSources(root: string, cacheDir: string): Promise<string> {
  const outdir = path.join(cacheDir, `${PREFIX}${process.pid}-${Date.now().toString(36)}-${++compiles}`);
  await compileTypeScript(root, outdir, FOLDERS);
  return outdir;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = project.config.root;
  const cacheDir = path.join(root, 'node_modules', '.cache');
  await removeAbandoned(cacheDir);
  let current = await compileSources(root, cacheDir);
  project.provide('compiledSourcesRoot', current);
  // Watch mode: every rerun gets the sources as they are then.
  project.onTestsRerun(async () => {
    const previous = current;
    current = await compileSources(root, cacheDir);
    project.provide('compiledSourcesRoot', current);
    await rm(previous, { recursive: true, force: true });
  });
  return () => rm(current, { recursive: true, force: true });
}
