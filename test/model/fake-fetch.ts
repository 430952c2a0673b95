/**
 * A scripted `fetch` for the `openai` SDK (injected as the client's `fetch`, as openai-node's own tests
 * do): each call takes the next reply of the script (the last one repeats). Replies are real `Response`
 * objects, so the SDK parses, retries and times out exactly as it does over HTTP — without a server,
 * and with timers a test can fake.
 */

export interface FetchCall {
  url: string;
  body: Record<string, unknown> | undefined;
  headers: Headers;
  signal: AbortSignal | undefined;
}

export type FakeReply = (call: FetchCall) => Response | Promise<Response>;

export interface FakeFetch {
  fetch: typeof fetch;
  calls: FetchCall[];
}

export function scriptedFetch(...script: FakeReply[]): FakeFetch {
  const calls: FetchCall[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const call: FetchCall = {
      url: String(input instanceof Request ? input.url : input),
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined,
      headers: new Headers(init?.headers),
      signal: init?.signal ?? undefined,
    };
    calls.push(call);
    const reply = script[Math.min(calls.length - 1, script.length - 1)]!;
    return reply(call);
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

const abortError = () => new DOMException('This operation was aborted', 'AbortError');

/** A JSON reply; error statuses ask the SDK to retry after 1 ms (`retry-after-ms`). */
export function json(status: number, body: unknown): FakeReply {
  return () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...(status >= 400 ? { 'retry-after-ms': '1' } : {}) },
    });
}

/** A well-formed chat completion with `text` and usage. */
export function completion(text: string, model = 'fake-chat'): FakeReply {
  return json(200, {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  });
}

/** A body that is not JSON at all, with a JSON content type. */
export function invalidJson(): FakeReply {
  return () => new Response('{"choices": [', { status: 200, headers: { 'content-type': 'application/json' } });
}

/** A server that never answers: the promise rejects only when the request is aborted (timeout or caller). */
export function hang(): FakeReply {
  return (call) =>
    new Promise<Response>((_resolve, reject) => {
      if (call.signal?.aborted) reject(abortError());
      call.signal?.addEventListener('abort', () => reject(abortError()), { once: true });
    });
}

/** A refused connection, as undici reports it. */
export function refused(): FakeReply {
  return () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }));
}

/**
 * A streamed reply (server-sent events): one chunk per delta, then usage and `[DONE]` — unless `stallAfter`
 * is given: after that many deltas the stream sends nothing more (until the request is aborted).
 */
export function stream(deltas: readonly string[], options: { stallAfter?: number } = {}): FakeReply {
  return (call) => {
    const encoder = new TextEncoder();
    const event = (data: unknown) => encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    const chunk = (content: string) => ({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'fake-chat', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        call.signal?.addEventListener('abort', () => controller.error(abortError()), { once: true });
        const sent = options.stallAfter === undefined ? deltas : deltas.slice(0, options.stallAfter);
        for (const delta of sent) controller.enqueue(event(chunk(delta)));
        if (options.stallAfter !== undefined) return;
        controller.enqueue(event({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'fake-chat', choices: [], usage: { prompt_tokens: 10, completion_tokens: deltas.length, total_tokens: 10 + deltas.length } }));
        controller.enqueue(event('[DONE]'));
        controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
}
