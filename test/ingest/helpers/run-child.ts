import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeArgsFor } from '../../support/run-cli.js';

const CHILD_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ingest-child.ts');

export interface ChildEvent {
  pid: number;
  event: string;
  [key: string]: unknown;
}

export interface RunningChild {
  process: ChildProcess;
  /** Resolves with the first event with one of these names (rejects if the child exits first). */
  waitFor(...names: string[]): Promise<ChildEvent>;
  /** Resolves when the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `ingest-child.ts` as a process (its current source: nodeArgsFor) with a job (see that file). */
export function startIngestChild(job: Record<string, unknown>): RunningChild {
  const child = spawn(process.execPath, nodeArgsFor(CHILD_SCRIPT), {
    env: { ...process.env, PAPERBOT_CHILD_JOB: JSON.stringify(job) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ChildEvent[] = [];
  const waiters: { names: string[]; resolve: (e: ChildEvent) => void; reject: (e: Error) => void }[] = [];
  let stderr = '';
  let buffer = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!line.trim()) continue;
      const event = JSON.parse(line) as ChildEvent;
      events.push(event);
      for (const waiter of waiters.filter((w) => w.names.includes(event.event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`child exited (${code ?? signal}) before "${waiter.names.join('|')}"; stderr: ${stderr}`));
      resolve({ code, signal });
    });
  });
  return {
    process: child,
    exited,
    waitFor(...names) {
      const seen = events.find((e) => names.includes(e.event));
      if (seen) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`child already exited; stderr: ${stderr}`));
      return new Promise((resolve, reject) => waiters.push({ names, resolve, reject }));
    },
  };
}
