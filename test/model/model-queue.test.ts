import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/model/chat-model.js';
import { createModelQueue, queuedChatModel } from '../../src/model/model-queue.js';
import { createOpenAIChatModel } from '../../src/model/openai-chat-model.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';

const MESSAGES: ChatMessage[] = [{ role: 'user', content: '[1] Some paper\nQuestion?' }];
let server: FakeOpenAIServer;

function chatModel() {
  return createOpenAIChatModel({ apiKey: 'k-test', baseURL: server.baseURL, model: 'fake-chat', timeoutMs: 5_000, maxRetries: 0 });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

beforeEach(async () => {
  server = await startFakeOpenAIServer({ defaultBehavior: { kind: 'reply', text: (req) => `echo: ${req.lastUserMessage.length}`, delayMs: 80 } });
});
afterEach(async () => {
  await server.close();
});

describe('queuedChatModel', () => {
  it('caps concurrent model calls at the queue size and reports places in line', async () => {
    const queue = createModelQueue(3);
    const positions: number[] = [];
    const model = queuedChatModel(chatModel(), queue);
    const calls = Array.from({ length: 10 }, () => model.complete(MESSAGES, { onQueued: (p) => positions.push(p) }));
    expect(queue.status()).toEqual({ running: 3, waiting: 7, concurrency: 3 });
    const results = await Promise.all(calls);
    expect(results.every((r) => r.text === `echo: ${MESSAGES[0]?.content.length}`)).toBe(true);
    expect(server.chatRequests()).toHaveLength(10);
    expect(server.maxConcurrent).toBe(3);
    expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await queue.onIdle();
    expect(queue.status()).toEqual({ running: 0, waiting: 0, concurrency: 3 });
  });

  it('without the queue the same load exceeds the cap (the fake server measures concurrency)', async () => {
    const model = chatModel();
    await Promise.all(Array.from({ length: 10 }, () => model.complete(MESSAGES)));
    expect(server.maxConcurrent).toBeGreaterThan(3);
  });

  it('passes queue hooks and the model id through', async () => {
    const queue = createModelQueue(1);
    const seen: number[] = [];
    const model = queuedChatModel(chatModel(), queue, { onQueued: (p) => seen.push(p) });
    expect(model.id).toBe('openai:fake-chat');
    await Promise.all([model.complete(MESSAGES), model.complete(MESSAGES)]);
    expect(seen).toEqual([1]);
    expect(server.maxConcurrent).toBe(1);
  });

  it('takes an aborted waiting call out of the line without calling the server', async () => {
    const queue = createModelQueue(1);
    const model = queuedChatModel(chatModel(), queue);
    const first = model.complete(MESSAGES);
    const controller = new AbortController();
    const second = model.complete(MESSAGES, { signal: controller.signal });
    expect(queue.status().waiting).toBe(1);
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    await first;
    expect(server.chatRequests()).toHaveLength(1);
  });
});

describe('createModelQueue', () => {
  it('runs tasks in FIFO order within the cap', async () => {
    const queue = createModelQueue(2);
    const gates = Array.from({ length: 4 }, deferred);
    const started: number[] = [];
    const queued: [number, number][] = [];
    const runs = gates.map((gate, i) =>
      queue.run(
        async () => {
          started.push(i);
          await gate.promise;
          return i;
        },
        { onQueued: (p) => queued.push([i, p]) },
      ),
    );
    expect(started).toEqual([0, 1]);
    expect(queued).toEqual([
      [2, 1],
      [3, 2],
    ]);
    gates[1]?.resolve();
    await runs[1];
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1, 2]);
    expect(queue.status()).toEqual({ running: 2, waiting: 1, concurrency: 2 });
    gates.forEach((g) => g.resolve());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
  });

  it('propagates task errors and frees the slot', async () => {
    const queue = createModelQueue(1);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
  });

  it('rejects a non-positive cap', () => {
    expect(() => createModelQueue(0)).toThrow(/positive integer/);
  });
});
