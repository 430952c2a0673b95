import { FeedError } from './feed-error.js';
import type { FeedTimers, RequestPacer } from './feed-timers.js';
import { parseRetryAfter } from './retry-after.js';

/** HTTP settings shared by the feed clients. */
export interface FeedHttpOptions {
  /** Sent on every request; arXiv asks for a descriptive one with a contact. */
  userAgent: string;
  /** Per request, headers and body together. */
  timeoutMs: number;
  /** Retries after 429/5xx or a dropped connection (not after a timeout). Default 2. */
  maxRetries?: number;
  /** The longest wait a Retry-After may ask for; a longer one fails the feed at once. Default 120 s. */
  maxRetryWaitMs?: number;
  /** A larger response fails the feed. Default 20 MiB. */
  maxResponseBytes?: number;
}

export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_RETRY_WAIT_MS = 120_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024;
/** Wait before retry n (0-based) when the server gives no Retry-After: 2 s, 4 s, 8 s … */
const BACKOFF_BASE_MS = 2_000;
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/** A retry about to happen, for progress reports. */
export interface FeedRetry {
  attempt: number;
  waitMs: number;
  reason: string;
}

export interface GetFeedTextRequest {
  url: string;
  accept: string;
  http: FeedHttpOptions;
  timers: FeedTimers;
  /** Paces every attempt, retries included. */
  pacer: RequestPacer;
  signal?: AbortSignal;
  /** Called as each attempt starts (after the pacer's wait). */
  onAttempt?: () => void;
  onRetry?: (retry: FeedRetry) => void;
}

type Attempt = { ok: true; text: string } | { ok: false; retryable: boolean; error: FeedError; retryAfterMs?: number };

/**
 * GET a feed document as text. Retries 429/500/502/503/504 and dropped connections (honouring
 * Retry-After, bounded by `maxRetryWaitMs`), fails at once on a timeout, another status or an
 * oversized body. Throws FeedError.
 */
export async function getFeedText(request: GetFeedTextRequest): Promise<string> {
  const maxRetries = request.http.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxWait = request.http.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await request.pacer.run(() => attemptOnce(request), request.signal);
    if (outcome.ok) return outcome.text;
    if (!outcome.retryable || attempt >= maxRetries) {
      if (!outcome.retryable || attempt === 0) throw outcome.error;
      throw new FeedError(outcome.error.kind, `${outcome.error.message} (${attempt + 1} attempts)`, { cause: outcome.error });
    }
    if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > maxWait) {
      const asked = Math.ceil(outcome.retryAfterMs / 1000);
      throw new FeedError('rate-limited', `${outcome.error.message}; Retry-After asks for ${asked} s, more than the ${Math.ceil(maxWait / 1000)} s a fetch waits — the next run retries`);
    }
    const waitMs = outcome.retryAfterMs ?? Math.min(maxWait, BACKOFF_BASE_MS * 2 ** attempt);
    request.onRetry?.({ attempt: attempt + 1, waitMs, reason: outcome.error.message });
    await request.timers.sleep(waitMs, request.signal);
  }
}

async function attemptOnce(request: GetFeedTextRequest): Promise<Attempt> {
  request.onAttempt?.();
  const timeout = request.timers.timeoutSignal(request.http.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  try {
    const response = await fetch(request.url, {
      headers: { 'user-agent': request.http.userAgent, accept: request.accept },
      signal,
      redirect: 'follow',
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const error = new FeedError(response.status === 429 ? 'rate-limited' : 'http', `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} from ${new URL(request.url).host}`);
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), request.timers.now());
      return { ok: false, retryable: RETRY_STATUSES.has(response.status), error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    return { ok: true, text: await readBodyBounded(response, request.http.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES) };
  } catch (error) {
    if (error instanceof FeedError) return { ok: false, retryable: false, error };
    if (request.signal?.aborted) return { ok: false, retryable: false, error: new FeedError('cancelled', 'fetch cancelled', { cause: error }) };
    if (timeout.aborted) {
      return { ok: false, retryable: false, error: new FeedError('timeout', `no complete answer from ${new URL(request.url).host} within ${request.http.timeoutMs / 1000} s`, { cause: error }) };
    }
    return { ok: false, retryable: true, error: new FeedError('network', `connection to ${new URL(request.url).host} failed: ${describeNetworkError(error)}`, { cause: error }) };
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** The body as UTF-8 text, failing as soon as it exceeds `maxBytes`. */
async function readBodyBounded(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new FeedError('too-large', `response larger than ${maxBytes} bytes`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const decoder = new TextDecoder('utf-8');
  let size = 0;
  let text = '';
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
