import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { StateStores } from '../../../src/state/state-stores.js';
import { nodeArgsFor } from '../../support/run-cli.js';

const APPEND_CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'append-turns-child.ts');

/** A child process that appends exchanges to thread t1 once told to go (see append-turns-child.ts). */
function startAppender(target: string, writer: string, count: number) {
  const child = spawn(process.execPath, [...nodeArgsFor(APPEND_CHILD), target, 't1', writer, String(count)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ready = new Promise<void>((resolve) => child.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('ready') && resolve()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  return { ready, exited, go: () => child.stdin.write('go\n') };
}

/**
 * Two processes append `count` exchanges each to one thread of the state at `target` (a SQLite file or
 * a postgres:// URL) at the same time; `stores` (open on the same state) then sees every exchange,
 * none split, each writer's in its order.
 */
export async function expectTwoProcessesAppendCleanly(target: string, stores: StateStores, count: number): Promise<void> {
  await stores.threads.createThread({ threadId: 't1', channelId: 'c', guildId: null, createdBy: 'u', question: 'q', createdAt: 0 });
  const writers = [startAppender(target, 'ada', count), startAppender(target, 'bob', count)];
  await Promise.all(writers.map((w) => w.ready));
  for (const writer of writers) writer.go();
  const results = await Promise.all(writers.map((w) => w.exited));
  expect(results).toEqual([{ code: 0, stderr: '' }, { code: 0, stderr: '' }]);
  const turns = await stores.threads.recentTurns('t1', 10 * count);
  expect(turns).toHaveLength(4 * count);
  for (let i = 0; i < turns.length; i += 2) expect(turns[i + 1]!.content).toBe(turns[i]!.content.replace(' q', ' a'));
  for (const writer of ['ada', 'bob']) {
    expect(turns.filter((t) => t.author === writer).map((t) => t.content)).toEqual(Array.from({ length: count }, (_, i) => `${writer} q${i}`));
  }
}
