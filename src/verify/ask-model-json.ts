import type { z } from 'zod';
import type { ChatModel, Completion, TokenUsage } from '../model/chat-model.js';
import { ModelUnavailableError } from '../model/chat-model.js';
import { ModelReplyError, parseModelJson } from './parse-model-json.js';

export interface AskModelJsonOptions {
  /** Longest wait for the whole reply. */
  timeoutMs: number;
  maxTokens: number;
  /** The caller's signal: when it aborts, the abort is passed on (no fallback). */
  signal?: AbortSignal | undefined;
}

/** The parsed reply, or why there is none; `usage` whenever the model did reply. */
export type ModelJsonOutcome<T> = { ok: true; value: T; usage: TokenUsage } | { ok: false; reason: string; usage?: TokenUsage };

/** A short reason for a failed model call, safe to show ("timed out after 20 s", "the reply is not valid JSON"). */
function describeFault(error: unknown, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `the model did not reply within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 100) / 10} s`}`;
  if (error instanceof ModelReplyError) return error.message;
  if (error instanceof ModelUnavailableError) return error.message;
  return 'the model call failed unexpectedly';
}

/**
 * One model call (temperature 0) whose reply must be a JSON object matching `schema`, with a time
 * limit. Any fault — error, timeout, malformed reply — is returned as `{ ok: false, reason }` for
 * the caller to fall back on; only an abort by the caller's own signal is thrown.
 */
export async function askModelJson<T>(model: ChatModel, prompt: string, schema: z.ZodType<T>, options: AskModelJsonOptions): Promise<ModelJsonOutcome<T>> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let completion: Completion;
  try {
    completion = await model.complete([{ role: 'user', content: prompt }], { maxTokens: options.maxTokens, temperature: 0, signal });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    return { ok: false, reason: describeFault(error, options.timeoutMs, timeout.aborted) };
  }
  try {
    return { ok: true, value: parseModelJson(completion.text, schema), usage: completion.usage };
  } catch (error) {
    return { ok: false, reason: describeFault(error, options.timeoutMs, false), usage: completion.usage };
  }
}
