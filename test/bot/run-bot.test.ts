import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Bot } from '../../src/bot/create-bot.js';
import { clientOptions, isDisallowedIntentsError } from '../../src/bot/discord-connection.js';
import { runBot } from '../../src/bot/run-bot.js';
import { createWorkTracker } from '../../src/bot/work-tracker.js';
import { loadBotConfig } from '../../src/bot/load-bot-config.js';
import { TEST_PROJECT_ROOT } from '../support/load-test-corpus.js';
import { nodeArgsFor } from '../support/run-cli.js';

describe('start-bot without a token', () => {
  it('explains how to get one and exits 1', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'paperbot-nobot-'));
    try {
      const env = { ...process.env, DISCORD_TOKEN: '', PAPERBOT_DATA_DIR: cwd };
      const result = spawnSync(process.execPath, nodeArgsFor(path.join(TEST_PROJECT_ROOT, 'src/bot/start-bot.ts')), { cwd, env, encoding: 'utf8', timeout: 60_000 });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/DISCORD_TOKEN is not set/);
      expect(result.stderr).toMatch(/discord\.com\/developers\/applications/);
      expect(result.stderr).toMatch(/\.env/);
      expect(result.stderr).toMatch(/npx paperbot ask/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('start-bot when setting up fails', () => {
  it('a state database that cannot be opened → a fatal log line naming the step, exit 1 (no unhandled rejection)', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'paperbot-badstate-'));
    try {
      // The database path is taken by a directory: SQLite cannot open it.
      mkdirSync(path.join(cwd, 'state', 'paperbot.sqlite'), { recursive: true });
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DISCORD_TOKEN: 'x', DISCORD_API_BASE: 'http://127.0.0.1:9/api', PAPERBOT_DATA_DIR: cwd };
      const result = spawnSync(process.execPath, nodeArgsFor(path.join(TEST_PROJECT_ROOT, 'src/bot/start-bot.ts')), { cwd, env, encoding: 'utf8', timeout: 60_000 });
      expect(result.status).toBe(1);
      const fatal = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level?: number; event?: string; step?: string })
        .find((line) => line.event === 'start-failed');
      expect(fatal).toMatchObject({ level: 60, step: 'open the state database' });
      expect(result.stderr).toMatch(/could not open the state database/);
      expect(result.stderr).not.toMatch(/Unhandled|ERR_UNHANDLED_REJECTION/i);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('runBot', () => {
  it('on SIGTERM stops the bot, then cleans up, then exits 0', async () => {
    const order: string[] = [];
    const bot = { start: async () => void order.push('start'), stop: async () => void order.push('stop'), onFatal: () => undefined } as unknown as Bot;
    const exited = new Promise<number>((resolve) => {
      void runBot(bot, { logger: pino({ level: 'silent' }), cleanup: () => void order.push('cleanup'), exit: (code) => resolve(code) });
    });
    await new Promise((resolve) => setImmediate(resolve));
    process.emit('SIGTERM');
    expect(await exited).toBe(0);
    expect(order).toEqual(['start', 'stop', 'cleanup']);
  });
});

describe('runBot: second signal and fatal errors', () => {
  it('a second signal while answers are still finishing exits 1 at once; listeners are removed afterwards', async () => {
    const listenersBefore = process.listenerCount('SIGTERM');
    const sigintBefore = process.listenerCount('SIGINT');
    let finishStop!: () => void;
    const bot = { start: async () => undefined, stop: () => new Promise<void>((resolve) => (finishStop = resolve)), onFatal: () => undefined } as unknown as Bot;
    const codes: number[] = [];
    let firstExit!: () => void;
    const exited = new Promise<void>((resolve) => (firstExit = resolve));
    await runBot(bot, { logger: pino({ level: 'silent' }), cleanup: () => undefined, exit: (code) => (codes.push(code), firstExit()) });
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore + 1);
    process.emit('SIGTERM');
    process.emit('SIGTERM');
    await exited;
    expect(codes).toEqual([1]);
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore);
    expect(process.listenerCount('SIGINT')).toBe(sigintBefore);
    finishStop();
  });

  it('a fatal error from the bot stops it, cleans up and exits 1', async () => {
    const order: string[] = [];
    let fatal!: (error: Error) => void;
    const bot = {
      start: async () => void order.push('start'),
      stop: async () => void order.push('stop'),
      onFatal: (listener: (error: Error) => void) => (fatal = listener),
    } as unknown as Bot;
    const exited = new Promise<number>((resolve) => {
      void runBot(bot, { logger: pino({ level: 'silent' }), cleanup: () => void order.push('cleanup'), exit: (code) => resolve(code) });
    });
    await new Promise((resolve) => setImmediate(resolve));
    fatal(new Error('Discord gateway closed with unrecoverable code 4004.'));
    expect(await exited).toBe(1);
    expect(order).toEqual(['start', 'stop', 'cleanup']);
  });
});

describe('work tracker (graceful shutdown)', () => {
  it('waits for work in flight, then refuses new work', async () => {
    const tracker = createWorkTracker();
    let finish!: () => void;
    const work = tracker.track(() => new Promise<void>((resolve) => (finish = resolve)));
    const drained = tracker.drain(5_000);
    expect(tracker.accepting).toBe(false);
    finish();
    await work;
    expect(await drained).toBe(true);
    expect(tracker.inFlight).toBe(0);
  });

  it('gives up after the timeout', async () => {
    const tracker = createWorkTracker();
    void tracker.track(() => new Promise<void>(() => undefined));
    expect(await tracker.drain(20)).toBe(false);
  });
});

describe('client options', () => {
  it('asks for Guilds, GuildMessages and MessageContent, disables mentions by default and honours DISCORD_API_BASE', () => {
    const config = loadBotConfig({ DISCORD_API_BASE: 'http://127.0.0.1:9999/api' });
    const options = clientOptions(config, true);
    expect(options.intents).toEqual([1, 512, 32768]);
    expect(options.allowedMentions).toEqual({ parse: [], repliedUser: false });
    expect(options.rest).toEqual({ api: 'http://127.0.0.1:9999/api' });
    expect(clientOptions(config, false).intents).toEqual([1, 512]);
  });

  it('recognises the error discord.js 14 rejects login with on close code 4014', () => {
    expect(isDisallowedIntentsError(new Error('Used disallowed intents'))).toBe(true);
    expect(isDisallowedIntentsError(new Error('Authentication failed'))).toBe(false);
  });
});
