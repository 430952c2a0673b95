import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { maskSecrets } from './text/mask-secrets.js';

/** The project root (where package.json, data/ and prompts/ live), found upward from this module (src/ or dist/src/). */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

// Variable schemas shared with the bot's configuration (src/bot/load-bot-config.ts). Empty = unset.
export const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
export const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
export const intWithDefault = (def: number, min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(def));
export const url = z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional());

/** What DATABASE_URL (and `paperbot migrate --to`) must look like. */
export const POSTGRES_URL = /^postgres(ql)?:\/\//;
export const POSTGRES_URL_HINT = 'must be a postgres:// URL, e.g. postgres://user:password@localhost:5432/paperbot';

/** The core's variables (the CLI and the bot alike). */
export const coreEnvSchema = z.object({
  PAPERBOT_DATA_DIR: optionalString,
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: url,
  CHAT_MODEL: z.preprocess(emptyToUndefined, z.string().trim().default('gpt-4o-mini')),
  OPENAI_TIMEOUT_MS: intWithDefault(60_000, 1_000, 600_000),
  OPENAI_MAX_RETRIES: intWithDefault(2, 0, 10),
  MODEL_CONCURRENCY: intWithDefault(4, 1, 64),
  EMBEDDING_MODEL: optionalString,
  EMBEDDING_BASE_URL: url,
  EMBEDDING_API_KEY: optionalString,
  EMBEDDING_DIMENSIONS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(8192).optional()),
  RETRIEVAL_ASSIST: z.preprocess(emptyToUndefined, z.enum(['off', 'rewrite', 'rerank', 'both']).default('off')),
  VERIFY_CLAIMS: z.preprocess(emptyToUndefined, z.enum(['off', 'offline', 'model']).optional()),
  VERIFY_MODEL: optionalString,

  CONTEXT_TOKEN_BUDGET: intWithDefault(3_000, 200, 100_000),
  HISTORY_TOKEN_BUDGET: intWithDefault(1_000, 0, 50_000),
  MAX_QUESTION_CHARS: intWithDefault(1_000, 10, 10_000),

  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(POSTGRES_URL, POSTGRES_URL_HINT)
      .optional(),
  ),
  DATABASE_POOL_MAX: intWithDefault(10, 1, 200),
  DATABASE_STATEMENT_TIMEOUT_MS: intWithDefault(15_000, 100, 600_000),
  PAPER_STORE: z.preprocess(emptyToUndefined, z.enum(['local', 'postgres']).optional()),
});

/** Where the papers live: the local index (vectra + lexical files), or PostgreSQL (pgvector). */
export type PaperStoreKind = 'local' | 'postgres';

/** A PostgreSQL database (DATABASE_URL) for the bot state and, by default, the papers. */
export interface DatabaseConfig {
  /** The full URL, password included: never log it (describeDatabase masks it). */
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
}

export interface Config {
  dataDir: string;
  /** Folder of corpus files (the source of truth; the index is derived from it). */
  corpusDir: string;
  /** Folder of the derived vectra index and its manifest (git-ignored). */
  indexDir: string;
  /** Folder of bot state (SQLite database). */
  stateDir: string;
  promptsDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  model: {
    /** True when OPENAI_API_KEY or OPENAI_BASE_URL is set: answers use the language model. */
    enabled: boolean;
    apiKey: string | undefined;
    baseURL: string | undefined;
    chatModel: string;
    timeoutMs: number;
    maxRetries: number;
    concurrency: number;
  };
  embedding: {
    /** Undefined → the offline embedder. */
    model: string | undefined;
    baseURL: string | undefined;
    /** EMBEDDING_API_KEY, else OPENAI_API_KEY only when the embeddings go to the same server as chat. */
    apiKey: string | undefined;
    dimensions: number | undefined;
  };
  retrieval: {
    /** Model help for search when a model is configured: rewrite the question (HyDE), rerank the top candidates, both, or off. */
    assist: 'off' | 'rewrite' | 'rerank' | 'both';
  };
  /** The claim check of answers (see {@link verifyFrom}). */
  verify: VerifyConfig;
  answer: {
    contextTokenBudget: number;
    historyTokenBudget: number;
    maxQuestionChars: number;
  };
  /** DATABASE_URL's database; undefined → the embedded stores (SQLite state under `stateDir`). */
  database: DatabaseConfig | undefined;
  /** PAPER_STORE, else `postgres` when DATABASE_URL is set, else `local`. */
  paperStore: PaperStoreKind;
}

/** How answers' cited sentences are checked against their sources. */
export interface VerifyConfig {
  /** `off`; `offline` (our own scorer); `model` (one batched model call per answer, offline fallback). */
  mode: 'off' | 'offline' | 'model';
  /** The model name for `model` mode; undefined → the chat model. */
  model: string | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validate an environment against a schema of variables; a bad value throws a ConfigError naming the variable. */
export function parseEnvironment<S extends z.ZodType>(envSchema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message} (got ${maskSecrets(JSON.stringify(env[String(issue.path[0])] ?? ''))})`);
    throw new ConfigError(`Invalid configuration in the environment / .env:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** DATABASE_URL and PAPER_STORE together; PAPER_STORE=postgres without a database is a ConfigError naming it. */
function storageFrom(e: z.output<typeof coreEnvSchema>): Pick<Config, 'database' | 'paperStore'> {
  const database = e.DATABASE_URL ? { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS } : undefined;
  if (e.PAPER_STORE === 'postgres' && !database) {
    throw new ConfigError('Invalid configuration in the environment / .env:\n  PAPER_STORE: "postgres" needs DATABASE_URL (postgres://…); unset it to keep the papers in the local index');
  }
  return { database, paperStore: e.PAPER_STORE ?? (database ? 'postgres' : 'local') };
}

/**
 * VERIFY_CLAIMS, else `model` when VERIFY_MODEL is set, else `offline`. The model modes need a configured
 * model server (OPENAI_API_KEY or OPENAI_BASE_URL): without one it is a ConfigError naming the variable.
 */
function verifyFrom(e: z.output<typeof coreEnvSchema>): VerifyConfig {
  const mode = e.VERIFY_CLAIMS ?? (e.VERIFY_MODEL ? 'model' : 'offline');
  if (mode === 'model' && !(e.OPENAI_API_KEY || e.OPENAI_BASE_URL)) {
    const variable = e.VERIFY_CLAIMS === 'model' ? 'VERIFY_CLAIMS: "model"' : 'VERIFY_MODEL';
    throw new ConfigError(`Invalid configuration in the environment / .env:\n  ${variable} needs a language model (OPENAI_API_KEY or OPENAI_BASE_URL); unset it or use VERIFY_CLAIMS=offline`);
  }
  return { mode, model: e.VERIFY_MODEL };
}

/** The core configuration from already validated variables. */
export function coreConfigFrom(e: z.output<typeof coreEnvSchema>, projectRoot: string = PROJECT_ROOT): Config {
  const dataDir = path.resolve(projectRoot, e.PAPERBOT_DATA_DIR ?? 'data');
  return {
    dataDir,
    corpusDir: path.join(dataDir, 'corpus'),
    indexDir: path.join(dataDir, 'index'),
    stateDir: path.join(dataDir, 'state'),
    promptsDir: path.join(projectRoot, 'prompts'),
    logLevel: e.LOG_LEVEL,
    model: {
      enabled: Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL),
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      chatModel: e.CHAT_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
      concurrency: e.MODEL_CONCURRENCY,
    },
    embedding: {
      model: e.EMBEDDING_MODEL,
      baseURL: e.EMBEDDING_BASE_URL ?? e.OPENAI_BASE_URL,
      // Never send the chat key to another host than the chat server.
      apiKey: e.EMBEDDING_API_KEY ?? (!e.EMBEDDING_BASE_URL || e.EMBEDDING_BASE_URL === e.OPENAI_BASE_URL ? e.OPENAI_API_KEY : undefined),
      dimensions: e.EMBEDDING_DIMENSIONS,
    },
    retrieval: { assist: e.RETRIEVAL_ASSIST },
    verify: verifyFrom(e),
    answer: {
      contextTokenBudget: e.CONTEXT_TOKEN_BUDGET,
      historyTokenBudget: e.HISTORY_TOKEN_BUDGET,
      maxQuestionChars: e.MAX_QUESTION_CHARS,
    },
    ...storageFrom(e),
  };
}

/**
 * Parse the core configuration once, from an environment (normally `process.env` after dotenv).
 * A bad value throws a ConfigError whose message names the variable. The bot adds its own settings
 * (Discord, digests) with `loadBotConfig`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, projectRoot: string = PROJECT_ROOT): Config {
  return coreConfigFrom(parseEnvironment(coreEnvSchema, env), projectRoot);
}
