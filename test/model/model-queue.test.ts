import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage, ChatModel, Completion } from '../../src/model/chat-model.js';
import { createModelQueue, queuedChatModel } from '../../src/model/model-queue.js';
import { createOpenAIChatModel } from '../../src/model/openai-chat-model.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';

const MESSAGES: ChatMessage[] = [{ role: 'user', content: '[1] Some paper\nQuestion?' }];

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A chat model whose calls finish only when the test releases them; counts calls running at once. */
function gatedModel() {
  const gates: ReturnType<typeof deferred>[] = [];
  let running = 0;
  let maxRunning = 0;
  const model: ChatModel = {
    id: 'gated',
    async complete(): Promise<Completion> {
      const gate = deferred();
      gates.push(gate);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await gate.promise;
      running -= 1;
      return { text: `answer ${gates.indexOf(gate)}`, usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, model: 'gated' };
    },
  };
  return { model, gates, maxRunning: () => maxRunning };
}

describe('queuedChatModel', () => {
  it('caps concurrent model calls and reports how many run and wait', async () => {
    const queue = createModelQueue(3);
    const gated = gatedModel();
    const model = queuedChatModel(gated.model, queue);
    const calls = Array.from({ length: 10 }, () => model.complete(MESSAGES));
    expect(queue.status()).toEqual({ running: 3, waiting: 7, concurrency: 3 });
    for (let released = 0; released < 10; released++) {
      await expect.poll(() => gated.gates.length).toBeGreaterThan(released);
      gated.gates[released]!.resolve();
    }
    const results = await Promise.all(calls);
    expect(results.map((r) => r.text)).toEqual(Array.from({ length: 10 }, (_, i) => `answer ${i}`));
    expect(gated.maxRunning()).toBe(3);
    await queue.onIdle();
    expect(queue.status()).toEqual({ running: 0, waiting: 0, concurrency: 3 });
  });

  it('keeps the model id', () => {
    expect(queuedChatModel(gatedModel().model, createModelQueue(1)).id).toBe('gated');
  });

  it('takes an aborted waiting call out of the line without calling the model', async () => {
    const queue = createModelQueue(1);
    const gated = gatedModel();
    const model = queuedChatModel(gated.model, queue);
    const first = model.complete(MESSAGES);
    const controller = new AbortController();
    const second = model.complete(MESSAGES, { signal: controller.signal });
    expect(queue.status().waiting).toBe(1);
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    gated.gates[0]!.resolve();
    await first;
    expect(gated.gates).toHaveLength(1);
  });
});

describe('queuedChatModel over real HTTP', () => {
  let server: FakeOpenAIServer;
  beforeEach(async () => {
    server = await startFakeOpenAIServer({ defaultBehavior: { kind: 'reply', text: 'ok [1]', delayMs: 20 } });
  });
  afterEach(async () => {
    await server.close();
  });
  const chatModel = () => createOpenAIChatModel({ apiKey: 'k-test', baseURL: server.baseURL, model: 'fake-chat', timeoutMs: 5_000, maxRetries: 0 });

  it('never has more requests in flight at the server than the cap', async () => {
    const model = queuedChatModel(chatModel(), createModelQueue(3));
    await Promise.all(Array.from({ length: 10 }, () => model.complete(MESSAGES)));
    expect(server.chatRequests()).toHaveLength(10);
    expect(server.maxConcurrent).toBe(3);
  });
});

describe('createModelQueue', () => {
  it('runs tasks in FIFO order within the cap', async () => {
    const queue = createModelQueue(2);
    const gates = Array.from({ length: 4 }, deferred);
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      queue.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    expect(started).toEqual([0, 1]);
    expect(queue.status()).toEqual({ running: 2, waiting: 2, concurrency: 2 });
    gates[1]?.resolve();
    await runs[1];
    await expect.poll(() => started).toEqual([0, 1, 2]);
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
