import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions/completions';

/** The server answered, but not with a usable completion. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

/** A streamed reply sent nothing for longer than the timeout. */
export class StreamStalledError extends Error {
  override readonly name = 'StreamStalledError';
}

export interface CompletionRequest {
  client: OpenAI;
  params: ChatCompletionCreateParamsBase;
  signal?: AbortSignal | undefined;
}

/** A reply as read from the wire; usage as the server reported it (if at all). */
export interface RawReply {
  text: string;
  usage: ChatCompletion['usage'] | null | undefined;
  model: string | undefined;
}

/** One ordinary (non-streamed) request; the reply is checked: an object with choices and non-empty text. */
export async function requestCompletion(request: CompletionRequest): Promise<RawReply> {
  const response: unknown = await request.client.chat.completions.create(
    { ...request.params, stream: false },
    request.signal ? { signal: request.signal } : undefined,
  );
  if (!response || typeof response !== 'object') throw new MalformedResponseError('not a JSON object');
  const completion = response as Partial<ChatCompletion>;
  if (!Array.isArray(completion.choices) || completion.choices.length === 0) throw new MalformedResponseError('no choices');
  const content: unknown = completion.choices[0]?.message?.content;
  if (typeof content !== 'string') throw new MalformedResponseError('no content');
  if (content.trim() === '') throw new MalformedResponseError('empty content');
  return { text: content, usage: completion.usage, model: typeof completion.model === 'string' && completion.model ? completion.model : undefined };
}

/**
 * A streamed request (`stream_options.include_usage`): each text delta goes to `onToken` as it arrives.
 * A stream that sends nothing for `idleTimeoutMs` is ended (`StreamStalledError`); aborting `signal`
 * ends it with the signal's reason.
 */
export async function streamCompletion(request: CompletionRequest, onToken: (delta: string) => void, idleTimeoutMs: number): Promise<RawReply> {
  // Our own controller: follows the caller's signal, and lets us end a stream that stalls.
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', forwardAbort, { once: true });
  if (request.signal?.aborted) forwardAbort();
  let stalled = false;
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, idleTimeoutMs);
  };
  try {
    const stream = await request.client.chat.completions.create(
      { ...request.params, stream: true, stream_options: { include_usage: true } },
      { signal: controller.signal },
    );
    armIdleTimer();
    const { sawChoices, ...reply } = await readChunks(stream as AsyncIterable<unknown>, onToken, armIdleTimer);
    // The SDK ends the iteration quietly when the request is aborted.
    if (stalled) throw new StreamStalledError();
    if (request.signal?.aborted) throw abortReason(request.signal);
    if (!sawChoices) throw new MalformedResponseError('no choices');
    if (reply.text.trim() === '') throw new MalformedResponseError('empty content');
    return reply;
  } catch (error) {
    if (stalled) throw new StreamStalledError();
    throw error;
  } finally {
    clearTimeout(idleTimer);
    request.signal?.removeEventListener('abort', forwardAbort);
  }
}

async function readChunks(stream: AsyncIterable<unknown>, onToken: (delta: string) => void, onChunk: () => void): Promise<RawReply & { sawChoices: boolean }> {
  let text = '';
  let sawChoices = false;
  let usage: ChatCompletionChunk['usage'] | undefined;
  let model: string | undefined;
  for await (const chunk of stream) {
    onChunk();
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
  return { text, usage, model, sawChoices };
}

/** What an aborted call rejects with: the signal's reason, else a DOMException `AbortError`. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}
