/**
 * The HTTP part shared by the fake feed servers (`fake-arxiv-server.ts`, `fake-hf-server.ts`): a real
 * `node:http` server on 127.0.0.1 (random port) that records every request and answers each either
 * normally (the server's `render`) or with a one-shot behaviour queued by the test:
 *
 * - `{ kind: 'status', status, headers?, body? }` — an error status (e.g. 503 with `retry-after`).
 * - `{ kind: 'hang' }` — headers never sent, until the client gives up or the server closes.
 * - `{ kind: 'body', body, contentType?, status? }` — this exact body instead of the normal one.
 * - `{ kind: 'truncate' }` — the normal response, cut off half-way (the connection is dropped).
 */
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeFeedBehavior =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'hang' }
  | { kind: 'body'; body: string; contentType?: string; status?: number }
  | { kind: 'truncate' };

export interface RecordedFeedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  headers: http.IncomingHttpHeaders;
}

export interface FeedResponse {
  status?: number;
  contentType: string;
  body: string;
}

export interface FakeFeedHttp<Extra = never> {
  /** `http://127.0.0.1:<port>`: the value for ARXIV_API_BASE / HF_API_BASE. */
  baseURL: string;
  requests: RecordedFeedRequest[];
  /** Queue a one-shot behaviour for the next request (FIFO). */
  enqueue(behavior: FakeFeedBehavior | Extra): void;
  /** Resolve once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

const BASE_KINDS = new Set(['status', 'hang', 'body', 'truncate']);

function isBaseBehavior(behavior: unknown): behavior is FakeFeedBehavior {
  return BASE_KINDS.has((behavior as { kind?: string }).kind ?? '');
}

function sendNormal(res: http.ServerResponse, response: FeedResponse): void {
  res.writeHead(response.status ?? 200, { 'content-type': response.contentType });
  res.end(response.body);
}

function sendBehavior(behavior: FakeFeedBehavior, res: http.ServerResponse, normal: () => FeedResponse): void {
  if (behavior.kind === 'hang') return;
  if (behavior.kind === 'status') {
    res.writeHead(behavior.status, { 'content-type': 'text/plain', ...behavior.headers });
    res.end(behavior.body ?? `${behavior.status} ${http.STATUS_CODES[behavior.status] ?? ''}`);
    return;
  }
  if (behavior.kind === 'body') {
    res.writeHead(behavior.status ?? 200, { 'content-type': behavior.contentType ?? 'text/plain; charset=utf-8' });
    res.end(behavior.body);
    return;
  }
  const response = normal();
  const bytes = Buffer.from(response.body, 'utf8');
  res.writeHead(200, { 'content-type': response.contentType, 'content-length': String(bytes.length) });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}

/**
 * Start the shared server; `render(path, params, extra)` makes a normal response, `extra` being a
 * queued behaviour of the server's own kinds (e.g. the fake arXiv's `page`) when there is one.
 */
export async function startFakeFeedHttp<Extra = never>(
  render: (path: string, params: Record<string, string>, extra?: Extra) => FeedResponse,
): Promise<FakeFeedHttp<Extra>> {
  const requests: RecordedFeedRequest[] = [];
  const queue: (FakeFeedBehavior | Extra)[] = [];
  const events = new EventEmitter();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries(url.searchParams);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, params, headers: req.headers });
    const behavior = queue.shift();
    if (behavior !== undefined && isBaseBehavior(behavior)) sendBehavior(behavior, res, () => render(url.pathname, params));
    else sendNormal(res, render(url.pathname, params, behavior));
    events.emit('request');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (behavior) => queue.push(behavior),
    async waitForRequests(count) {
      while (requests.length < count) await once(events, 'request');
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
