import type OpenAI from 'openai';
import { APIUserAbortError } from 'openai';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions/completions';
import { estimateTokens } from '../text/estimate-tokens.js';
import type { ChatMessage, ChatModel, Completion, CompletionOptions, TokenUsage } from './chat-model.js';
import { ModelUnavailableError } from './chat-model.js';
import { maskSecrets } from '../text/mask-secrets.js';
import { createOpenAIClient, describeOpenAIError, formatDuration, isOpenAIFailure } from './openai-client.js';

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
}

class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

class StreamStalledError extends Error {
  override readonly name = 'StreamStalledError';
}

/**
 * A ChatModel over the official `openai` SDK (chat completions), for OpenAI or any
 * OpenAI-compatible server.
 *
 * - `complete(messages, { onToken })` streams (`stream_options.include_usage`) and passes each text delta to
 *   `onToken`; without `onToken` it makes one ordinary request. Both return `{ text, usage, model }`.
 * - Usage comes from the server; when it sends none, it is estimated (chars/4) and `usage.estimated` is true.
 * - After the SDK's retries, 429/5xx, connection errors, timeouts (incl. a stream that stalls for `timeoutMs`),
 *   invalid JSON, malformed or empty responses and 401/403/404/400 all throw `ModelUnavailableError` with a
 *   short message that is safe to log (never the key).
 * - Aborting `signal` rejects with the signal's reason (a DOMException `AbortError` by default), not
 *   ModelUnavailableError: the caller asked for it.
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  const client: OpenAI = createOpenAIClient(options);
  const apiKey = options.apiKey?.trim() || undefined;
  // OpenAI's newer models reject `max_tokens`; many compatible servers only know `max_tokens`.
  const maxTokensField = options.baseURL?.trim() ? 'max_tokens' : 'max_completion_tokens';
  let warnedEstimate = false;

  function baseParams(messages: readonly ChatMessage[], opts: CompletionOptions): ChatCompletionCreateParamsBase {
    return {
      model: options.model,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      ...(opts.maxTokens !== undefined ? { [maxTokensField]: opts.maxTokens } : {}),
      ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
    };
  }

  function toUsage(raw: ChatCompletion['usage'] | null | undefined, messages: readonly ChatMessage[], text: string): TokenUsage {
    if (raw && Number.isFinite(raw.prompt_tokens) && Number.isFinite(raw.completion_tokens)) {
      return {
        promptTokens: raw.prompt_tokens,
        completionTokens: raw.completion_tokens,
        totalTokens: Number.isFinite(raw.total_tokens) ? raw.total_tokens : raw.prompt_tokens + raw.completion_tokens,
      };
    }
    if (!warnedEstimate) {
      warnedEstimate = true;
      options.logger?.warn({ model: options.model }, 'model server reported no token usage; estimating ~4 characters per token');
    }
    const promptTokens = messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
    const completionTokens = estimateTokens(text);
    return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
  }

  async function completeOnce(messages: readonly ChatMessage[], opts: CompletionOptions): Promise<Completion> {
    const response: unknown = await client.chat.completions.create(
      { ...baseParams(messages, opts), stream: false },
      opts.signal ? { signal: opts.signal } : undefined,
    );
    if (!response || typeof response !== 'object') throw new MalformedResponseError('not a JSON object');
    const completion = response as Partial<ChatCompletion>;
    if (!Array.isArray(completion.choices) || completion.choices.length === 0) throw new MalformedResponseError('no choices');
    const content: unknown = completion.choices[0]?.message?.content;
    if (typeof content !== 'string') throw new MalformedResponseError('no content');
    if (content.trim() === '') throw new MalformedResponseError('empty content');
    return {
      text: content,
      usage: toUsage(completion.usage, messages, content),
      model: typeof completion.model === 'string' && completion.model ? completion.model : options.model,
    };
  }

  async function completeStreaming(
    messages: readonly ChatMessage[],
    opts: CompletionOptions,
    onToken: (delta: string) => void,
  ): Promise<Completion> {
    // Our own controller: follows the caller's signal, and lets us end a stream that stalls.
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', forwardAbort, { once: true });
    if (opts.signal?.aborted) forwardAbort();
    let stalled = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdleTimer = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, options.timeoutMs);
    };
    try {
      const stream = await client.chat.completions.create(
        { ...baseParams(messages, opts), stream: true, stream_options: { include_usage: true } },
        { signal: controller.signal },
      );
      armIdleTimer();
      let text = '';
      let sawChoices = false;
      let usage: ChatCompletionChunk['usage'] | undefined;
      let model: string | undefined;
      for await (const chunk of stream as AsyncIterable<unknown>) {
        armIdleTimer();
        if (!chunk || typeof chunk !== 'object') throw new MalformedResponseError('stream chunk is not a JSON object');
        const c = chunk as Partial<ChatCompletionChunk>;
        if (c.usage) usage = c.usage;
        if (typeof c.model === 'string' && c.model) model = c.model;
        if (!Array.isArray(c.choices)) continue;
        if (c.choices.length > 0) sawChoices = true;
        const delta: unknown = c.choices[0]?.delta?.content;
        if (typeof delta === 'string' && delta.length > 0) {
          text += delta;
          onToken(delta);
        }
      }
      // The SDK ends the iteration quietly when the request is aborted.
      if (stalled) throw new StreamStalledError();
      if (opts.signal?.aborted) throw abortReason(opts.signal);
      if (!sawChoices) throw new MalformedResponseError('no choices');
      if (text.trim() === '') throw new MalformedResponseError('empty content');
      return { text, usage: toUsage(usage, messages, text), model: model ?? options.model };
    } catch (error) {
      if (stalled) throw new StreamStalledError();
      throw error;
    } finally {
      clearTimeout(idleTimer);
      opts.signal?.removeEventListener('abort', forwardAbort);
    }
  }

  function toModelError(error: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return abortReason(signal);
    if (error instanceof APIUserAbortError) return error;
    let kind: string;
    let message: string;
    let status: number | undefined;
    if (error instanceof MalformedResponseError) {
      kind = 'malformed';
      message = error.message === 'empty content' ? 'model returned an empty response' : `model returned a malformed response (${error.message})`;
    } else if (error instanceof StreamStalledError) {
      kind = 'timeout';
      message = `model stream stalled: no data for ${formatDuration(options.timeoutMs)}`;
    } else if (isOpenAIFailure(error)) {
      const described = describeOpenAIError(error, {
        what: 'model',
        modelName: options.model,
        baseURL: options.baseURL,
        timeoutMs: options.timeoutMs,
        maxRetries: options.maxRetries,
        apiKey,
      });
      ({ kind, message, status } = described);
    } else {
      return error; // a bug of ours (or of a caller's onToken): not a model outage
    }
    options.logger?.warn({ model: options.model, kind, ...(status !== undefined ? { status } : {}) }, message);
    const causeMessage = error instanceof Error ? maskSecrets(error.message, [apiKey]) : String(error);
    const cause = new Error(causeMessage.slice(0, 500));
    cause.name = error instanceof Error ? error.name : 'Error';
    return new ModelUnavailableError(message, { cause });
  }

  return {
    id: `openai:${options.model}`,
    async complete(messages, opts = {}) {
      if (opts.signal?.aborted) throw abortReason(opts.signal);
      try {
        return opts.onToken ? await completeStreaming(messages, opts, opts.onToken) : await completeOnce(messages, opts);
      } catch (error) {
        throw toModelError(error, opts.signal);
      }
    },
  };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}
