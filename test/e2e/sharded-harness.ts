import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { PROJECT_DIR } from '../support/run-cli.js';
import { makeIndexedTemplate, removeDir, spawnBot, type BotProcess, type LogLine } from './bot-harness.js';

/** `npm run start:sharded`'s entry point, run as its current source (its shards are started the same way). */
export const SHARDED_ENTRY = path.join(PROJECT_DIR, 'src', 'bot', 'start-sharded.ts');

/** The sharding manager as a child process; its shards write their JSON log lines to the same stdout. */
export function spawnSharded(env: Record<string, string>, cwd: string): BotProcess {
  return spawnBot(env, cwd, SHARDED_ENTRY);
}

/** The log lines of one shard (its bot logs carry `shardId`). */
export function shardLogs(manager: BotProcess, shardId: number, event: string): LogLine[] {
  return manager.logs.filter((line) => line.shardId === shardId && line.event === event);
}

/**
 * A suite of real bot processes: an indexed data directory built once per file (`template()`, copy it
 * per bot), and `defer(cleanup)` run after each test, the last one first.
 */
export function useBotSuite(): { template: () => string; defer: (cleanup: () => Promise<unknown>) => void } {
  let template: string | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    template = await makeIndexedTemplate();
  }, 60_000);
  afterAll(() => (template ? removeDir(template) : undefined));
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  return {
    template: () => {
      if (!template) throw new Error('the template is built in beforeAll');
      return template;
    },
    defer: (cleanup) => void cleanups.push(cleanup),
  };
}
