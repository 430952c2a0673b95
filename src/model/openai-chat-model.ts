import type { ChatCompletion, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions/completions';
import { APIUserAbortError } from 'openai';
import { maskSecrets } from '../text/mask-secrets.js';
import { estimateTokens } from '../text/estimate-tokens.js';
import { cutAtGraphemeBoundary } from '../text/truncate-text.js';
import type { ChatMessage, ChatModel, CompletionOptions, TokenUsage } from './chat-model.js';
import { ModelUnavailableError } from './chat-model.js';
import { createOpenAIClient, describeOpenAIError, type DescribedFailure, type FailureContext, formatDuration, isOpenAIFailure } from './openai-client.js';
import { abortReason, MalformedResponseError, requestCompletion, StreamStalledError, streamCompletion } from './read-chat-completion.js';

export interface ModelLogger {
  warn(obj: object, msg?: string): void;
}

export interface OpenAIChatModelOptions {
  /** Optional when `baseURL` is set (a placeholder key is sent to servers that need none). */
  apiKey?: string | undefined;
  /** OpenAI-compatible base URL (Ollama, vLLM, llama.cpp, OpenRouter …); default: OpenAI's. */
  baseURL?: string | undefined;
  /** Model name sent with each request, e.g. `gpt-4o-mini`, `llama3.1:8b`. */
  model: string;
  /** Per-attempt timeout; while streaming, also the longest wait between two chunks. */
  timeoutMs: number;
  /** SDK retries (with backoff) for 429/5xx/connection errors/timeouts. */
  maxRetries: number;
  /** Receives one warning per failed call and one when usage has to be estimated. Never sees the key. */
  logger?: ModelLogger | undefined;
  /** The HTTP client the SDK calls (default: the global `fetch`). */
  fetch?: typeof fetch | undefined;
}

/** Longest part of an SDK error message kept as the `cause` (for logs). */
const MAX_CAUSE_CHARS = 500;

/**
 * A ChatModel over the official `openai` SDK (chat completions), for OpenAI or any
 * OpenAI-compatible server.
 *
 * - `complete(messages, { onToken })` streams (`stream_options.include_usage`) and passes each text delta to
 *   `onToken`; without `onToken` it makes one ordinary request. Both return `{ text, usage, model }`.
 * - Usage comes from the server; when it sends none, it is estimated (chars/4) and `usage.estimated` is true.
 * - After the SDK's retries, 429/5xx, connection errors, timeouts (incl. a stream that stalls for `timeoutMs`),
 *   invalid JSON, malformed or empty responses and 401/403/404/400 all throw `ModelUnavailableError` with a
 *   short message that is safe to log (never the key) and a `kind` that is safe to show.
 * - Aborting `signal` rejects with the signal's reason (a DOMException `AbortError` by default), not
 *   ModelUnavailableError: the caller asked for it.
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  const client = createOpenAIClient(options);
  const paramsFor = chatParamsBuilder(options);
  const usageOf = usageReader(options);
  const failure: FailureContext = {
    what: 'model',
    modelName: options.model,
    baseURL: options.baseURL,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    apiKey: options.apiKey?.trim() || undefined,
  };
  return {
    id: `openai:${options.model}`,
    async complete(messages, opts = {}) {
      if (opts.signal?.aborted) throw abortReason(opts.signal);
      const request = { client, params: paramsFor(messages, opts), signal: opts.signal };
      try {
        const reply = opts.onToken ? await streamCompletion(request, opts.onToken, options.timeoutMs) : await requestCompletion(request);
        return { text: reply.text, usage: usageOf(reply.usage, messages, reply.text), model: reply.model ?? options.model };
      } catch (error) {
        throw toModelError(error, opts.signal, failure, options.logger);
      }
    },
  };
}

/** The request body: OpenAI's newer models reject `max_tokens`, many compatible servers only know it. */
function chatParamsBuilder(options: OpenAIChatModelOptions) {
  const maxTokensField = options.baseURL?.trim() ? 'max_tokens' : 'max_completion_tokens';
  return (messages: readonly ChatMessage[], opts: CompletionOptions): ChatCompletionCreateParamsBase => ({
    model: options.model,
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    ...(opts.maxTokens !== undefined ? { [maxTokensField]: opts.maxTokens } : {}),
    ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
  });
}

/** Usage as the server reported it, else estimated (warned about once per model). */
function usageReader(options: OpenAIChatModelOptions) {
  let warnedEstimate = false;
  return (raw: ChatCompletion['usage'] | null | undefined, messages: readonly ChatMessage[], text: string): TokenUsage => {
    if (raw && Number.isFinite(raw.prompt_tokens) && Number.isFinite(raw.completion_tokens)) {
      const total = Number.isFinite(raw.total_tokens) ? raw.total_tokens : raw.prompt_tokens + raw.completion_tokens;
      return { promptTokens: raw.prompt_tokens, completionTokens: raw.completion_tokens, totalTokens: total };
    }
    if (!warnedEstimate) {
      warnedEstimate = true;
      options.logger?.warn({ model: options.model }, 'model server reported no token usage; estimating ~4 characters per token');
    }
    const promptTokens = messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
    const completionTokens = estimateTokens(text);
    return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
  };
}

/**
 * What a failed call rejects with: the abort reason when the caller aborted, a ModelUnavailableError
 * (logged once) for outages and bad replies, and the error itself for bugs (ours or a caller's onToken).
 */
function toModelError(error: unknown, signal: AbortSignal | undefined, context: FailureContext, logger: ModelLogger | undefined): unknown {
  if (signal?.aborted) return abortReason(signal);
  if (error instanceof APIUserAbortError) return error;
  const described = describeFailure(error, context);
  if (!described) return error;
  const { kind, message, status } = described;
  logger?.warn({ model: context.modelName, kind, ...(status !== undefined ? { status } : {}) }, message);
  const cause = new Error(cutAtGraphemeBoundary(maskSecrets(error instanceof Error ? error.message : String(error), [context.apiKey]), MAX_CAUSE_CHARS));
  cause.name = error instanceof Error ? error.name : 'Error';
  return new ModelUnavailableError(message, { cause, kind });
}

function describeFailure(error: unknown, context: FailureContext): DescribedFailure | undefined {
  if (error instanceof MalformedResponseError) {
    const message = error.message === 'empty content' ? 'model returned an empty response' : `model returned a malformed response (${error.message})`;
    return { kind: 'malformed', message };
  }
  if (error instanceof StreamStalledError) {
    return { kind: 'timeout', message: `model stream stalled: no data for ${formatDuration(context.timeoutMs)}` };
  }
  return isOpenAIFailure(error) ? describeOpenAIError(error, context) : undefined;
}
