import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config.js';
import { parseFeedList, type FeedSpec } from './feed-spec.js';
import type { FeedHttpOptions } from './get-feed-text.js';

/** Everything the feed clients need from the environment. */
export interface FeedSettings {
  feeds: FeedSpec[];
  /** Origin of the arXiv API (`/api/query` is appended). */
  arxivApiBase: string;
  /** Origin of the Hugging Face API (`/api/daily_papers` is appended). */
  hfApiBase: string;
  http: FeedHttpOptions;
}

export const DEFAULT_ARXIV_API_BASE = 'https://export.arxiv.org';
export const DEFAULT_HF_API_BASE = 'https://huggingface.co';
/** Without FEEDS or FEEDS_FILE: Hugging Face daily papers, where the bundled corpus comes from. */
export const DEFAULT_FEEDS = 'hf:daily';
export const DEFAULT_FEED_TIMEOUT_MS = 30_000;
const USER_AGENT_PRODUCT = 'paperbot/0.1 (Discord research-digest bot';
const CONTACT_PLACEHOLDER = 'operator contact not configured: set FEEDS_CONTACT';

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const baseUrl = (fallback: string) =>
  z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default(fallback)).transform((value) => value.replace(/\/+$/, ''));

const feedEnvSchema = z.object({
  FEEDS: z.preprocess(emptyToUndefined, z.string().optional()),
  FEEDS_FILE: z.preprocess(emptyToUndefined, z.string().trim().optional()),
  ARXIV_API_BASE: baseUrl(DEFAULT_ARXIV_API_BASE),
  HF_API_BASE: baseUrl(DEFAULT_HF_API_BASE),
  FEEDS_CONTACT: z.preprocess(
    emptyToUndefined,
    z.string().trim().max(200).regex(/^[\x20-\x7E]+$/, 'must be printable ASCII (an e-mail address or URL)').optional(),
  ),
  FEED_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1_000).max(600_000).default(DEFAULT_FEED_TIMEOUT_MS)),
});

function configError(variable: string, problem: string, got: string | undefined): ConfigError {
  return new ConfigError(`Invalid configuration in the environment / .env:\n  ${variable}: ${problem}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`);
}

/** The User-Agent sent to the feeds: product, purpose and the operator's contact (FEEDS_CONTACT). */
export function feedUserAgent(contact: string | undefined): string {
  return `${USER_AGENT_PRODUCT}; ${contact ? `+${contact}` : CONTACT_PLACEHOLDER})`;
}

/** FEEDS text, or the text of the file FEEDS_FILE names (errors then say `in <file>, line N: …`). */
function parseFeeds(text: string, file?: string): FeedSpec[] {
  try {
    return parseFeedList(text, { byLine: file !== undefined });
  } catch (error) {
    const message = (error as Error).message;
    throw file === undefined ? configError('FEEDS', message, text) : configError('FEEDS_FILE', `in ${file}, ${message}`, undefined);
  }
}

/**
 * Parse the feed settings (FEEDS or the text of FEEDS_FILE, ARXIV_API_BASE, HF_API_BASE,
 * FEEDS_CONTACT, FEED_TIMEOUT_MS). Pure: the caller reads FEEDS_FILE (see loadFeedSettings). A bad
 * value throws a ConfigError naming the variable.
 */
export function parseFeedSettings(env: NodeJS.ProcessEnv, feedsFileText?: string): FeedSettings {
  const parsed = feedEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'FEEDS');
    throw configError(variable, issue?.message ?? 'invalid', env[variable]);
  }
  const e = parsed.data;
  if (e.FEEDS !== undefined && e.FEEDS_FILE !== undefined) throw configError('FEEDS_FILE', 'set either FEEDS or FEEDS_FILE, not both', e.FEEDS_FILE);
  const feeds = e.FEEDS_FILE !== undefined ? parseFeeds(feedsFileText ?? '', e.FEEDS_FILE) : parseFeeds(e.FEEDS ?? DEFAULT_FEEDS);
  return {
    feeds,
    arxivApiBase: e.ARXIV_API_BASE,
    hfApiBase: e.HF_API_BASE,
    http: { userAgent: feedUserAgent(e.FEEDS_CONTACT), timeoutMs: e.FEED_TIMEOUT_MS },
  };
}

/** parseFeedSettings, reading FEEDS_FILE first (relative to `baseDir`) when it is set. */
export async function loadFeedSettings(env: NodeJS.ProcessEnv, baseDir: string): Promise<FeedSettings> {
  const file = env.FEEDS_FILE?.trim();
  if (!file) return parseFeedSettings(env);
  const filePath = path.resolve(baseDir, file);
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    throw configError('FEEDS_FILE', `cannot read ${filePath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, file);
  }
  return parseFeedSettings(env, text);
}
