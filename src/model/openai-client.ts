import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, OpenAIError } from 'openai';
import { maskSecrets } from '../text/mask-secrets.js';
import { truncateText } from '../text/truncate-text.js';
import type { ModelFailureKind } from './chat-model.js';

/** Connection settings shared by the chat model and the embedder. */
export interface OpenAIConnectionOptions {
  /** Optional when `baseURL` is set (local servers: Ollama, vLLM, llama.cpp); a placeholder is sent then. */
  apiKey?: string | undefined;
  /** An OpenAI-compatible base URL, e.g. `http://localhost:11434/v1`; default: OpenAI's. */
  baseURL?: string | undefined;
  /** Per-attempt timeout (the SDK retries timeouts too). */
  timeoutMs: number;
  /** SDK retries for 408/409/429/5xx/connection errors/timeouts, with backoff (honours `retry-after(-ms)`). */
  maxRetries: number;
  /** The HTTP client the SDK calls (default: the global `fetch`). */
  fetch?: typeof fetch | undefined;
}

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Sent as the key to OpenAI-compatible servers that need none (the SDK requires some key). */
export const PLACEHOLDER_API_KEY = 'not-needed';
/** Longest part of a server's own error message quoted in ours. */
const MAX_SERVER_DETAIL_CHARS = 160;

/**
 * Build the SDK client from explicit settings only: the SDK's own environment fallbacks
 * (OPENAI_BASE_URL, OPENAI_ORG_ID, …) are switched off so that config stays in src/config.ts.
 * The SDK's console logging is off; callers log through their own logger.
 */
export function createOpenAIClient(options: OpenAIConnectionOptions): OpenAI {
  const apiKey = options.apiKey?.trim() || undefined;
  const baseURL = options.baseURL?.trim() || undefined;
  if (!apiKey && !baseURL) {
    throw new Error('An OpenAI API key or an OpenAI-compatible base URL is required to use a language model.');
  }
  return new OpenAI({
    apiKey: apiKey ?? PLACEHOLDER_API_KEY,
    baseURL: baseURL ?? OPENAI_DEFAULT_BASE_URL,
    organization: null,
    project: null,
    webhookSecret: null,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    logLevel: 'off',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** The base URL without credentials, path or query, safe for messages and logs. */
export function safeOrigin(baseURL: string | undefined): string {
  try {
    return new URL(baseURL ?? OPENAI_DEFAULT_BASE_URL).origin;
  } catch {
    return 'the configured base URL';
  }
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))}s`;
}

/** What went wrong with an SDK call, classified for a short safe message. */
export interface DescribedFailure {
  kind: ModelFailureKind;
  status?: number;
  /** For logs and operators: short, no secrets (it may name the server's origin). */
  message: string;
}

export interface FailureContext {
  /** What was called: "model", "embedding model". */
  what: string;
  modelName: string;
  baseURL: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  apiKey: string | undefined;
}

/**
 * Describe an error thrown by the SDK (after its retries) without secrets: `what` names the call
 * ("model", "embedding model"), `modelName` and `baseURL` are shown for 404s.
 */
export function describeOpenAIError(error: unknown, context: FailureContext): DescribedFailure {
  const { what, maxRetries } = context;
  const afterRetries = maxRetries > 0 ? ` after ${maxRetries} ${maxRetries === 1 ? 'retry' : 'retries'}` : '';
  if (error instanceof APIConnectionTimeoutError) {
    return { kind: 'timeout', message: `${what} request timed out after ${formatDuration(context.timeoutMs)}${afterRetries}` };
  }
  if (error instanceof APIConnectionError) {
    return { kind: 'connection', message: `could not connect to the ${what} server at ${safeOrigin(context.baseURL)}${afterRetries}` };
  }
  if (error instanceof APIError) return describeStatus(error, context, afterRetries);
  if (error instanceof SyntaxError) {
    return { kind: 'malformed', message: `${what} returned a malformed response (invalid JSON)` };
  }
  return { kind: 'other', message: `${what} request failed unexpectedly` };
}

function describeStatus(error: APIError, context: FailureContext, afterRetries: string): DescribedFailure {
  const { what, modelName } = context;
  const status = error.status;
  switch (true) {
    case status === 401:
      return { kind: 'auth', status, message: `the ${what} server rejected the API key (401): check the key` };
    case status === 403:
      return { kind: 'auth', status, message: `the ${what} server refused access (403): the API key is rejected or lacks access to "${modelName}"` };
    case status === 404:
      return { kind: 'not-found', status, message: `${what} "${modelName}" was not found at ${safeOrigin(context.baseURL)} (404): check the model name and base URL` };
    case status === 429:
      return { kind: 'rate-limit', status, message: `${what} server is rate limiting requests (429)${afterRetries}` };
    case status !== undefined && status >= 500:
      return { kind: 'server', status, message: `${what} server returned ${status}${afterRetries}` };
  }
  const detail = shortServerMessage(error, context.apiKey);
  if (status !== undefined) {
    return { kind: 'bad-request', status, message: `${what} server rejected the request (${status})${detail ? `: ${detail}` : ''}` };
  }
  return { kind: 'server', message: `${what} server reported an error${detail ? `: ${detail}` : ''}` };
}

function shortServerMessage(error: APIError, apiKey: string | undefined): string {
  const inner = (error.error as { message?: unknown } | undefined)?.message;
  const raw = typeof inner === 'string' ? inner : '';
  return truncateText(maskSecrets(raw, [apiKey]).replace(/\s+/g, ' ').trim(), MAX_SERVER_DETAIL_CHARS, { ellipsis: '...' });
}

/** True for the errors the SDK throws for transport/protocol failures (as opposed to bugs in our code). */
export function isOpenAIFailure(error: unknown): boolean {
  return error instanceof OpenAIError || error instanceof SyntaxError;
}
