import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { allCommands } from '../../commands/index.js';
import { createLogger } from '../../src/app/logger.js';
import { createPaperbot } from '../../src/app/create-paperbot.js';
import type { Paperbot } from '../../src/app/paperbot.js';
import { createBot, type Bot } from '../../src/bot/create-bot.js';
import { loadBotConfig } from '../../src/bot/load-bot-config.js';
import { openStateStores } from '../../src/state/open-state-stores.js';
import type { StateStores } from '../../src/state/state-stores.js';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../support/fake-discord/index.js';
import { defaultFakeAnswer, startFakeOpenAIServer, type FakeChatRequest, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { makeIndexedDataDir } from '../support/indexed-data-dir.js';
import { nodeArgsFor, PROJECT_DIR } from '../support/run-cli.js';

/** The bot's entry point, run as its current source (nodeArgsFor) so the e2e tests never depend on a stale build. */
export const BOT_ENTRY = path.join(PROJECT_DIR, 'src', 'bot', 'start-bot.ts');

/** A question the bundled corpus answers (VideoMAE V2 is the first paper). */
export const VIDEO_QUESTION = 'How does VideoMAE V2 scale video masked autoencoders?';

/**
 * A data directory with the corpus and a built index, copied per bot (each bot then has its own state
 * database under `<dir>/state`): a copy of the index this test run builds once (indexed-data-dir.ts).
 */
export function makeIndexedTemplate(): Promise<string> {
  return makeIndexedDataDir();
}

export async function copyDataDir(template: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-e2e-'));
  await cp(template, dir, { recursive: true, preserveTimestamps: true });
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * The fake model's answers: the condense-question prompt gets back the latest question (a usable
 * standalone query), everything else the server's default cited answer.
 */
export function modelReply(req: FakeChatRequest): string {
  if (/standalone search query/i.test(req.prompt)) {
    const match = /<question>\s*([\s\S]*?)\s*<\/question>/.exec(req.prompt);
    return (match?.[1] ?? req.lastUserMessage).replace(/\s+/g, ' ').trim();
  }
  return defaultFakeAnswer(req);
}

/** The environment of a bot process pointed at the fakes (nothing else: no developer .env, cwd is a temp dir). */
export function botEnv(fake: FakeDiscord, dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PAPERBOT_DATA_DIR: dataDir,
    DISCORD_TOKEN: fake.token,
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_GUILD_ID: fake.ids.guild,
    LOG_LEVEL: 'info',
    USER_COOLDOWN_SECONDS: '0',
    ...extra,
  };
}

export interface LogLine {
  level?: number;
  event?: string;
  msg?: string;
  [key: string]: unknown;
}

/** The real bot (`src/bot/start-bot.ts`) as a child process; its JSON log lines are collected. */
/**
 * Resolves with `find()`'s first result, re-checked whenever a waiter is called (a new log line, an
 * exit); rejects when `failure()` says why, or after `timeoutMs`, with `context()` appended.
 */
function waitForLogLine(
  waiters: Set<() => void>,
  options: { find: () => LogLine | undefined; failure?: () => string | undefined; timeout: () => string; context: () => string; timeoutMs: number },
): Promise<LogLine> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      waiters.delete(check);
    };
    const check = () => {
      const found = options.find();
      if (found) {
        done();
        resolve(found);
        return;
      }
      const failed = options.failure?.();
      if (failed !== undefined) {
        done();
        reject(new Error(`${failed}${options.context()}`));
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${options.timeout()}${options.context()}`));
    }, options.timeoutMs);
    waiters.add(check);
    check();
  });
}

export class BotProcess {
  readonly logs: LogLine[] = [];
  stdout = '';
  stderr = '';
  exitCode: number | null | undefined = undefined;
  private readonly waiters = new Set<() => void>();
  private readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // not a log line
        }
      }
      this.notify();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code) => {
        this.exitCode = code;
        this.notify();
        resolve(code);
      });
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves with the first log line matching, re-checked as lines arrive; rejects on exit or timeout. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 20_000, what = 'a log line'): Promise<LogLine> {
    return waitForLogLine(this.waiters, {
      find: () => this.logs.find(predicate),
      failure: () => (this.exitCode !== undefined ? `bot exited (${this.exitCode}) while waiting for ${what}` : undefined),
      timeout: () => `timed out waiting for ${what}`,
      context: () => `\n${this.stderr}\n${this.stdout.slice(-3000)}`,
      timeoutMs,
    });
  }

  waitForReady(timeoutMs = 30_000): Promise<LogLine> {
    return this.waitForLog((l) => l.event === 'ready', timeoutMs, 'the bot to be ready');
  }

  /** Resolves with the exit code (SIGKILL after `timeoutMs`). */
  waitForExit(timeoutMs = 20_000): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    return this.exited.finally(() => clearTimeout(timer));
  }

  /** SIGTERM and wait for the exit code. */
  async stop(timeoutMs = 20_000): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    this.child.kill('SIGTERM');
    return this.waitForExit(timeoutMs);
  }
}

export function spawnBot(env: Record<string, string>, cwd: string, entry: string = BOT_ENTRY): BotProcess {
  const child = spawn(process.execPath, nodeArgsFor(entry), {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  return new BotProcess(child);
}

/** Every message-writing request the bot made: POST/PATCH bodies of messages, interaction callbacks and webhooks. */
export function messageWrites(fake: FakeDiscord): RecordedRequest[] {
  return fake.requests.filter(
    (r) => (r.method === 'POST' || r.method === 'PATCH') && /\/(messages|callback)(\/|$)|\/webhooks\//.test(r.path) && !/\/threads$/.test(r.path) && !/\/typing$/.test(r.path),
  );
}

type Body = { type?: number; allowed_mentions?: unknown; data?: { allowed_mentions?: unknown; choices?: unknown } } | undefined;

/** Requests that carry message content (not bare defers or autocomplete results). */
export function contentWrites(fake: FakeDiscord): RecordedRequest[] {
  return messageWrites(fake).filter((r) => {
    const body = r.body as Body;
    if (!/\/callback$/.test(r.path)) return true;
    return body?.type === 4 || body?.type === 7;
  });
}

/** allowed_mentions of a message write (top level for messages/webhooks, under data for callbacks). */
export function allowedMentionsOf(request: RecordedRequest): unknown {
  const body = request.body as Body;
  return /\/callback$/.test(request.path) ? body?.data?.allowed_mentions : body?.allowed_mentions;
}

/** JSON text of a message's embeds (for substring checks). */
export function embedText(message: { embeds?: unknown } | undefined): string {
  return JSON.stringify(message?.embeds ?? []);
}

export function hasFinalEmbed(message: { embeds?: unknown }): boolean {
  const embeds = (message.embeds ?? []) as { fields?: { name: string }[]; footer?: { text?: string } }[];
  return embeds.some((e) => e.footer?.text !== 'Writing…') && embeds.some((e) => (e.fields ?? []).some((f) => /Sources|Nearest/.test(f.name)));
}

/**
 * The bot composed as `src/bot/start-bot.ts` composes it (configuration from `env`, the real core,
 * state and commands, JSON log lines collected), but in this process: for end-to-end behaviour where
 * the process boundary is not what is tested. Exit codes, signals and the single-instance lock are
 * tested against BotProcess.
 */
export class InProcessBot {
  readonly logs: LogLine[] = [];
  private readonly waiters = new Set<() => void>();
  private stopped: Promise<void> | undefined;
  private parts: { bot: Bot; paperbot: Paperbot; state: StateStores } | undefined;
  private buffer = '';

  /** Where the bot's logger writes: one JSON object per line. */
  readonly destination = new Writable({
    write: (chunk: Buffer | string, _encoding, done) => {
      this.buffer += chunk.toString();
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        if (line.trim()) this.logs.push(JSON.parse(line) as LogLine);
      }
      for (const waiter of [...this.waiters]) waiter();
      done();
    },
  });

  async start(env: Record<string, string>): Promise<void> {
    const config = loadBotConfig(env);
    const logger = createLogger({ level: config.logLevel, name: 'paperbot-bot', destination: this.destination });
    const state = await openStateStores(config, { logger });
    const paperbot = await createPaperbot(config, { logger });
    const bot = createBot({ config, paperbot, state, logger, commands: allCommands() });
    this.parts = { bot, paperbot, state };
    await bot.start();
  }

  /** Resolves with the first log line matching, re-checked as lines arrive; rejects on timeout. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 20_000, what = 'a log line'): Promise<LogLine> {
    return waitForLogLine(this.waiters, {
      find: () => this.logs.find(predicate),
      timeout: () => `timed out waiting for ${what}`,
      context: () => `\n${JSON.stringify(this.logs.slice(-20))}`,
      timeoutMs,
    });
  }

  /** Stop the bot (answers in flight are finished), then close the core and the state. */
  stop(): Promise<void> {
    const parts = this.parts;
    this.stopped ??= (async () => {
      if (!parts) return;
      await parts.bot.stop();
      await parts.paperbot.close();
      await parts.state.close();
    })();
    return this.stopped;
  }
}

/** One real bot process against the fake Discord (and the fake model, when it has a `reply`), on its own copy of the run's index. */
export interface SpawnedRig {
  fake: FakeDiscord;
  model: FakeOpenAIServer | undefined;
  /** The running bot process (a new one after `restart`). */
  readonly bot: BotProcess;
  dataDir: string;
  /** Stop the bot (resolves with its exit status) and start a new process on the same data and environment. */
  restart(): Promise<number | null>;
  /** Stop the bot (resolves with its exit status), close the fakes and remove the data. */
  stop(): Promise<number | null>;
}

export async function startSpawnedRig(options: { reply?: (req: FakeChatRequest) => string; readyTimeoutMs?: number } = {}): Promise<SpawnedRig> {
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    while (closers.length) await closers.pop()!();
  };
  try {
    const template = await makeIndexedTemplate();
    closers.push(() => removeDir(template));
    const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
    closers.push(() => fake.close());
    const model = options.reply ? await startFakeOpenAIServer({ defaultBehavior: { kind: 'reply', text: options.reply } }) : undefined;
    if (model) closers.push(() => model.close());
    await deployCommands({ token: fake.token, apiBase: fake.apiBase, guildId: fake.ids.guild });
    const dataDir = await copyDataDir(template);
    closers.push(() => removeDir(dataDir));
    const spawn = () => spawnBot(botEnv(fake, dataDir, model ? { OPENAI_BASE_URL: model.baseURL } : {}), dataDir);
    let bot = spawn();
    closers.push(() => bot.stop());
    await bot.waitForReady(options.readyTimeoutMs);
    await fake.waitForReady();
    return {
      fake,
      model,
      get bot() {
        return bot;
      },
      dataDir,
      async restart() {
        const exitCode = await bot.stop();
        bot = spawn();
        return exitCode;
      },
      async stop() {
        const exitCode = await bot.stop();
        await closeAll();
        return exitCode;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
