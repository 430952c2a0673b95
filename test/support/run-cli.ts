import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import { runCli as runCliProgram } from '../../src/cli/run-cli.js';
import { loadConfig } from '../../src/config.js';
import type { FeedTimers } from '../../src/feeds/feed-timers.js';

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_ENTRY = path.join(PROJECT_DIR, 'src', 'cli', 'main.ts');
/** The launcher `npx paperbot` runs (it needs the compiled dist/). */
export const BIN_LAUNCHER = path.join(PROJECT_DIR, 'bin', 'paperbot.js');
/** tsx's loader by absolute URL, so the child can run from any working directory. */
export const TSX_LOADER = pathToFileURL(path.join(PROJECT_DIR, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** This test run's compiled copy of the project's TypeScript (compile-sources.ts); undefined outside a test run. */
function compiledSourcesRoot(): string | undefined {
  try {
    return inject('compiledSourcesRoot');
  } catch {
    return undefined; // not in a vitest worker (a benchmark script using the harness)
  }
}

/**
 * Node's arguments to run one of the project's TypeScript files (absolute path) as a process: in a test
 * run, the JavaScript the run compiled from the working tree at its start; elsewhere (the benchmarks),
 * the source through tsx. Either way the current source, never a stale build.
 */
export function nodeArgsFor(sourceFile: string): string[] {
  const root = compiledSourcesRoot();
  if (!root) return ['--import', TSX_LOADER, sourceFile];
  return [path.join(root, path.relative(PROJECT_DIR, sourceFile)).replace(/\.ts$/, '.js')];
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A stream that keeps everything written to it. */
function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/**
 * Run the `paperbot` CLI in this process (the same program as the real one, with its own stdin, stdout
 * and stderr): for CLI behaviour where the process boundary is not what is tested. The configuration
 * comes from `env` alone (no .env file is read). `feedTimers`: those of `paperbot fetch` (default real time).
 */
export async function runCliInProcess(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; feedTimers?: FeedTimers } = {},
): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const stdin = Readable.from([options.input ?? '']);
  const env = { ...options.env };
  const code = await runCliProgram(args, {
    io: { stdin, stdout: stdout.stream, stderr: stderr.stream },
    loadConfig: () => loadConfig(env),
    env,
    ...(options.feedTimers ? { feedTimers: options.feedTimers } : {}),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Run the real `paperbot` CLI as a separate process (the current source: nodeArgsFor), in a temp
 * working directory so no developer .env is picked up.
 * Only the variables given (plus PATH/HOME) are in its environment.
 */
export function runCli(
  args: readonly string[],
  options: {
    env?: Record<string, string>;
    input?: string;
    cwd?: string;
    timeoutMs?: number;
    /** Close our end of the child's stdout / stderr at once, like `| head` that has already left (the child gets EPIPE). */
    closeStdout?: boolean;
    closeStderr?: boolean;
    /** Run the shipped launcher (bin/paperbot.js → dist/) instead of the TypeScript source. */
    launcher?: boolean;
  } = {},
): Promise<CliRun> {
  const entry = options.launcher ? [BIN_LAUNCHER] : nodeArgsFor(CLI_ENTRY);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: options.cwd ?? os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    if (options.closeStderr) child.stderr.destroy();
    else child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh data directory holding a copy of the bundled corpus (the index is built on first use). */
export async function makeDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-cli-'));
  await mkdir(path.join(dir, 'corpus'), { recursive: true });
  await cp(path.join(PROJECT_DIR, 'data', 'corpus', 'hf-trending-papers.txt'), path.join(dir, 'corpus', 'hf-trending-papers.txt'));
  return dir;
}
