/**
 * A fake OpenAI-compatible HTTP server for tests and benchmarks: a real `node:http` server on
 * 127.0.0.1 (random port) speaking the OpenAI wire protocol, so the REAL `openai` SDK (through
 * `src/model/*`) can be driven against it.
 *
 * ```ts
 * const server = await startFakeOpenAIServer();           // options: { embeddingDimensions?, model?, defaultBehavior? }
 * const model = createOpenAIChatModel({ baseURL: server.baseURL, apiKey: 'test-key', model: 'fake-model', timeoutMs: 2000, maxRetries: 1 });
 * server.enqueue({ kind: 'status', status: 429 });          // next chat request → 429 (one-shot, FIFO)
 * server.setDefault({ kind: 'reply', text: 'Hi [1].', delayMs: 2000 }); // every later request without an enqueued behavior
 * ...
 * server.requests;        // every request: { method, path, headers, body (parsed JSON or undefined), route }
 * server.chatRequests();  // only POST /v1/chat/completions
 * server.maxConcurrent;   // the most chat requests in flight at once;  server.inFlight: in flight now
 * await server.close();   // also ends hanging requests
 * ```
 *
 * Endpoints:
 * - `POST /v1/chat/completions` — non-stream JSON, or SSE (`data: {chunk}\n\n` … `data: [DONE]\n\n`) when
 *   `stream: true`, with a final usage chunk when `stream_options.include_usage` is true.
 * - `POST /v1/embeddings` — deterministic unit vectors from a hash of each input text (same text → same vector),
 *   `dimensions` from the request when given, else `options.embeddingDimensions` (default 16).
 * - `GET /v1/models` — lists `options.model` (default `fake-model`).
 *
 * Behaviors (per request; `enqueue(behavior, route?)` is one-shot FIFO, `setDefault(behavior, route?)` applies
 * otherwise; `route` is `'chat'` (default) or `'embeddings'`):
 * - `{ kind: 'reply', text?, delayMs?, heldUntil?, chunkDelayMs?, streamHeld?, omitUsage? }` — answer normally. `text` is a string or
 *   `(req) => string` (req: the parsed chat request, see `FakeChatRequest`); when omitted the DEFAULT ANSWER is used:
 *   a deterministic reply citing `[1]` (and `[2]` when the prompt has a second source), built from the lines that
 *   start with `[1]` / `[2]` in the prompt, e.g. `According to [1] (VideoMAE V2: …), …`. With no `[1]` source
 *   in the prompt it says it found no relevant sources (no citation). `delayMs` waits before the response headers
 *   (a slow model); `heldUntil` (a promise the test settles) holds them until the test lets the model answer,
 *   so a test can act while a call is in flight without a wall-clock margin. `chunkDelayMs` waits between stream chunks.
 *   `streamHeld: { afterDeltas, until }` sends that many deltas of a streamed reply, then holds the rest until the
 *   promise settles (a test sees what the client did with part of a stream, without a wall-clock margin).
 *   `omitUsage` leaves usage out (non-stream and stream). For embeddings, `text`/`chunkDelayMs`/`streamHeld` are ignored.
 * - `{ kind: 'status', status, body?, headers? }` — an error status with an OpenAI-style error body; adds
 *   `retry-after-ms: 5` unless `headers` says otherwise, so SDK retries stay fast in tests.
 * - `{ kind: 'hang' }` — never answers (until the client gives up or `close()`).
 * - `{ kind: 'invalid-json' }` — 200 with a truncated JSON body (stream: an SSE event whose data is not JSON).
 * - `{ kind: 'malformed' }` — 200 with valid JSON but no `choices` / `data` (stream: chunks without choices).
 *
 * Streamed replies are split into word-sized deltas (`splitIntoDeltas`), which concatenate to the full text.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatMessage {
  role: string;
  content: string;
}

/** The parsed body of a chat request, handed to `reply.text` functions. */
export interface FakeChatRequest {
  model: string;
  messages: FakeChatMessage[];
  stream: boolean;
  /** The whole body as received. */
  body: Record<string, unknown>;
  /** Content of the last user message ('' when none). */
  lastUserMessage: string;
  /** All message contents joined with newlines (the prompt as one string). */
  prompt: string;
}

export type FakeBehavior =
  | {
      kind: 'reply';
      text?: string | ((req: FakeChatRequest) => string);
      delayMs?: number;
      heldUntil?: Promise<unknown>;
      chunkDelayMs?: number;
      streamHeld?: { afterDeltas: number; until: Promise<unknown> };
      omitUsage?: boolean;
    }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'invalid-json' }
  | { kind: 'malformed' };

export type FakeRoute = 'chat' | 'embeddings';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body; undefined for no/invalid body. */
  body: Record<string, unknown> | undefined;
  route: FakeRoute | 'models' | 'other';
}

export interface FakeOpenAIServerOptions {
  /** Vector length for embeddings when the request does not ask for `dimensions` (default 16). */
  embeddingDimensions?: number;
  /** Model id reported by `GET /v1/models` and used when a request names none (default `fake-model`). */
  model?: string;
  /** Initial default chat behavior (default `{ kind: 'reply' }`, i.e. the default answer). */
  defaultBehavior?: FakeBehavior;
}

export interface FakeOpenAIServer {
  /** e.g. `http://127.0.0.1:41234/v1` — pass as the SDK's `baseURL`. */
  readonly baseURL: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Chat requests in flight now. */
  readonly inFlight: number;
  /** The most chat requests that were in flight at once. */
  readonly maxConcurrent: number;
  /** One-shot behavior for the next request on `route` (FIFO). */
  enqueue(behavior: FakeBehavior, route?: FakeRoute): void;
  /** Behavior for requests on `route` when nothing is enqueued. */
  setDefault(behavior: FakeBehavior, route?: FakeRoute): void;
  /** Only the `POST /v1/chat/completions` requests. */
  chatRequests(): RecordedRequest[];
  /** Only the `POST /v1/embeddings` requests. */
  embeddingRequests(): RecordedRequest[];
  /** Forget recorded requests and reset `maxConcurrent` (enqueued behaviors are kept). */
  reset(): void;
  close(): Promise<void>;
}

/** The default answer for a chat request: cites `[1]` (and `[2]`) from the sources in the prompt. */
export function defaultFakeAnswer(req: FakeChatRequest): string {
  const first = findSourceLine(req.prompt, 1);
  if (first === undefined) return 'I could not find relevant sources in the provided context to answer this question.';
  const second = findSourceLine(req.prompt, 2);
  let answer = `According to [1] (${first}), this is addressed directly by the cited work.`;
  if (second !== undefined) answer += ` A related perspective appears in [2] (${second}).`;
  return answer;
}

function findSourceLine(prompt: string, n: number): string | undefined {
  const match = new RegExp(String.raw`^[ \t>*-]*\[${n}\][ \t:.)-]*(.+)$`, 'm').exec(prompt);
  const line = match?.[1]?.trim().replace(/^(title|paper)\s*:\s*/i, '');
  if (!line) return undefined;
  return line.length > 100 ? `${line.slice(0, 97).trimEnd()}...` : line;
}

/** Split a reply into stream deltas: each word with its following whitespace. */
export function splitIntoDeltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** A deterministic unit vector for a text (sha256-seeded). */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const values: number[] = [];
  let block = 0;
  while (values.length < dimensions) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let i = 0; i + 1 < digest.length && values.length < dimensions; i += 2) {
      values.push(digest.readUInt16BE(i) / 32767.5 - 1);
    }
    block += 1;
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => v / norm);
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const embeddingDimensions = options.embeddingDimensions ?? 16;
  const modelName = options.model ?? 'fake-model';
  const queues: Record<FakeRoute, FakeBehavior[]> = { chat: [], embeddings: [] };
  const defaults: Record<FakeRoute, FakeBehavior> = {
    chat: options.defaultBehavior ?? { kind: 'reply' },
    embeddings: { kind: 'reply' },
  };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let inFlight = 0;
  let maxConcurrent = 0;
  let closed = false;
  let completionCounter = 0;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fake server fault: ${String(error)}`, type: 'server_error' } }));
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  function nextBehavior(route: FakeRoute): FakeBehavior {
    return queues[route].shift() ?? defaults[route];
  }

  function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  /** Resolves when the response is finished or the client went away. */
  function waitUntilGone(res: http.ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      if (res.destroyed || res.writableEnded) return resolve();
      res.on('close', () => resolve());
    });
  }

  async function applyCommonBehavior(res: http.ServerResponse, behavior: FakeBehavior): Promise<boolean> {
    switch (behavior.kind) {
      case 'status': {
        const body = behavior.body ?? {
          error: { message: `fake server error ${behavior.status}`, type: behavior.status >= 500 ? 'server_error' : 'invalid_request_error', code: null },
        };
        sendJson(res, behavior.status, body, { 'retry-after-ms': '5', ...behavior.headers });
        return true;
      }
      case 'hang':
        await waitUntilGone(res);
        return true;
      default:
        return false;
    }
  }

  async function handleChat(res: http.ServerResponse, body: Record<string, unknown>): Promise<void> {
    const behavior = nextBehavior('chat');
    if (await applyCommonBehavior(res, behavior)) return;
    const stream = body.stream === true;
    const includeUsage = stream && (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const model = typeof body.model === 'string' ? body.model : modelName;
    const id = `chatcmpl-fake-${++completionCounter}`;
    const created = Math.floor(Date.now() / 1000);

    if (behavior.kind === 'invalid-json') {
      if (stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.end('data: {"id": "broken", "choices": [\n\n');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "broken", "choices": [{"message": ');
      }
      return;
    }
    if (behavior.kind === 'malformed') {
      if (stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model })}\n\n`);
        res.end('data: [DONE]\n\n');
      } else {
        sendJson(res, 200, { id, object: 'chat.completion', created, model });
      }
      return;
    }
    if (behavior.kind !== 'reply') return;

    const messages = Array.isArray(body.messages)
      ? (body.messages as unknown[]).map((m) => {
          const msg = (m ?? {}) as { role?: unknown; content?: unknown };
          return { role: String(msg.role ?? ''), content: typeof msg.content === 'string' ? msg.content : JSON.stringify(msg.content ?? '') };
        })
      : [];
    const chatRequest: FakeChatRequest = {
      model,
      messages,
      stream,
      body,
      lastUserMessage: [...messages].reverse().find((m) => m.role === 'user')?.content ?? '',
      prompt: messages.map((m) => m.content).join('\n'),
    };
    const text = typeof behavior.text === 'function' ? behavior.text(chatRequest) : (behavior.text ?? defaultFakeAnswer(chatRequest));
    const promptTokens = estimateTokens(chatRequest.prompt);
    const completionTokens = estimateTokens(text);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };

    if (behavior.delayMs) await sleep(behavior.delayMs);
    if (behavior.heldUntil) await behavior.heldUntil;
    if (res.destroyed) return;

    if (!stream) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        ...(behavior.omitUsage ? {} : { usage }),
      });
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    const write = (data: unknown) => {
      if (!res.destroyed) res.write(`data: ${JSON.stringify(data)}\n\n`);
    };
    write(chunk({ role: 'assistant', content: '' }, null));
    for (const [index, delta] of splitIntoDeltas(text).entries()) {
      if (behavior.streamHeld && index === behavior.streamHeld.afterDeltas) await behavior.streamHeld.until;
      if (behavior.chunkDelayMs) await sleep(behavior.chunkDelayMs);
      if (res.destroyed) return;
      write(chunk({ content: delta }, null));
    }
    write(chunk({}, 'stop'));
    if (includeUsage && !behavior.omitUsage) write({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    if (!res.destroyed) res.end('data: [DONE]\n\n');
  }

  async function handleEmbeddings(res: http.ServerResponse, body: Record<string, unknown>): Promise<void> {
    const behavior = nextBehavior('embeddings');
    if (await applyCommonBehavior(res, behavior)) return;
    const model = typeof body.model === 'string' ? body.model : modelName;
    if (behavior.kind === 'invalid-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object": "list", "data": [');
      return;
    }
    if (behavior.kind === 'malformed') {
      sendJson(res, 200, { object: 'list', model });
      return;
    }
    if (behavior.kind !== 'reply') return;
    const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? (body.input as unknown[]).map(String) : [];
    const dims = typeof body.dimensions === 'number' && body.dimensions > 0 ? body.dimensions : embeddingDimensions;
    if (behavior.delayMs) await sleep(behavior.delayMs);
    if (res.destroyed) return;
    // Return the items in reverse order (with their `index`), as servers may: clients must sort by index.
    const data = inputs.map((input, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(input, dims) })).reverse();
    const tokens = inputs.reduce((sum, input) => sum + estimateTokens(input), 0);
    sendJson(res, 200, { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/+$/, '');
    const raw = req.method === 'POST' ? await readBody(req) : '';
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = raw ? JSON.parse(raw) : undefined;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    const route: RecordedRequest['route'] =
      req.method === 'POST' && path === '/v1/chat/completions' ? 'chat'
      : req.method === 'POST' && path === '/v1/embeddings' ? 'embeddings'
      : req.method === 'GET' && path === '/v1/models' ? 'models'
      : 'other';
    requests.push({ method: req.method ?? '', path, headers: req.headers, body, route });

    if (route === 'models') {
      sendJson(res, 200, { object: 'list', data: [{ id: modelName, object: 'model', created: 0, owned_by: 'fake' }] });
      return;
    }
    if (route === 'other') {
      sendJson(res, 404, { error: { message: `Unknown path ${req.method} ${path}`, type: 'invalid_request_error', code: 'not_found' } });
      return;
    }
    if (!body) {
      sendJson(res, 400, { error: { message: 'request body must be a JSON object', type: 'invalid_request_error', code: null } });
      return;
    }
    if (route === 'embeddings') {
      await handleEmbeddings(res, body);
      return;
    }
    inFlight += 1;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    try {
      await handleChat(res, body);
    } finally {
      inFlight -= 1;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    enqueue(behavior, route = 'chat') {
      queues[route].push(behavior);
    },
    setDefault(behavior, route = 'chat') {
      defaults[route] = behavior;
    },
    chatRequests: () => requests.filter((r) => r.route === 'chat'),
    embeddingRequests: () => requests.filter((r) => r.route === 'embeddings'),
    reset() {
      requests.length = 0;
      maxConcurrent = inFlight;
    },
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await done;
    },
  };
}
