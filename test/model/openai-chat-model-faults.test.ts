import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelUnavailableError, type ChatMessage } from '../../src/model/chat-model.js';
import { createOpenAIChatModel, type OpenAIChatModelOptions } from '../../src/model/openai-chat-model.js';
import { rejection } from '../support/rejection.js';
import { completion, hang, invalidJson, json, refused, scriptedFetch, stream, type FakeFetch } from './fake-fetch.js';

/** Retries, timeouts, aborts and bad replies, with the SDK's fetch injected (no server, no real waiting). */

const API_KEY = 'sk-test-SECRET-0123456789abcdef';
const MESSAGES: ChatMessage[] = [{ role: 'user', content: 'How does VideoMAE V2 scale?' }];
const warnings: { obj: object; msg?: string }[] = [];

function model(fake: FakeFetch, overrides: Partial<OpenAIChatModelOptions> = {}) {
  return createOpenAIChatModel({
    apiKey: API_KEY,
    baseURL: 'http://models.test/v1',
    model: 'fake-chat',
    timeoutMs: 2_000,
    maxRetries: 1,
    logger: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    fetch: fake.fetch,
    ...overrides,
  });
}

async function unavailable(pending: Promise<unknown>): Promise<ModelUnavailableError> {
  const error = await rejection(pending);
  expect(error).toBeInstanceOf(ModelUnavailableError);
  const unavailableError = error as ModelUnavailableError;
  expect(unavailableError.message).not.toContain(API_KEY);
  expect(String((unavailableError.cause as Error | undefined)?.message ?? '')).not.toContain(API_KEY);
  expect(JSON.stringify(warnings)).not.toContain(API_KEY);
  return unavailableError;
}

afterEach(() => {
  vi.useRealTimers();
  warnings.length = 0;
});

describe('retries', () => {
  it('retries a 429 and then succeeds', async () => {
    const fake = scriptedFetch(json(429, { error: { message: 'slow down' } }), completion('Dual masking [1].'));
    const result = await model(fake, { maxRetries: 2 }).complete(MESSAGES);
    expect(result.text).toBe('Dual masking [1].');
    expect(fake.calls).toHaveLength(2);
  });

  it('gives up after 1 + maxRetries attempts on a persistent 500, with a server-kind error', async () => {
    const fake = scriptedFetch(json(500, { error: { message: 'boom' } }));
    const error = await unavailable(model(fake, { maxRetries: 2 }).complete(MESSAGES));
    expect(error.message).toBe('model server returned 500 after 2 retries');
    expect(error.kind).toBe('server');
    expect(fake.calls).toHaveLength(3);
    expect(warnings.some((w) => (w.obj as { status?: number }).status === 500)).toBe(true);
  });

  it('reports a persistent 503 on a streamed call too', async () => {
    const fake = scriptedFetch(json(503, {}));
    const error = await unavailable(model(fake).complete(MESSAGES, { onToken: () => {} }));
    expect(error.message).toBe('model server returned 503 after 1 retry');
    expect(fake.calls).toHaveLength(2);
  });

  it('does not retry a 401 and never shows the key the server echoed', async () => {
    const fake = scriptedFetch(json(401, { error: { message: `Incorrect API key provided: ${API_KEY}` } }));
    const error = await unavailable(model(fake).complete(MESSAGES));
    expect(error.message).toMatch(/rejected the API key \(401\)/);
    expect(error.kind).toBe('auth');
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
  });

  it('quotes a 400 message with the key masked', async () => {
    const fake = scriptedFetch(json(400, { error: { message: `bad request for key ${API_KEY}: max_tokens too large` } }));
    const error = await unavailable(model(fake).complete(MESSAGES));
    expect(error.message).toBe('model server rejected the request (400): bad request for key [redacted]: max_tokens too large');
    expect(error.kind).toBe('bad-request');
  });

  it('names the model and the server origin on 404, never the credentials in the base URL', async () => {
    const fake = scriptedFetch(json(404, {}));
    const error = await unavailable(model(fake, { model: 'no-such-model', baseURL: 'http://user:pw-secret@models.test/v1' }).complete(MESSAGES));
    expect(error.message).toBe('model "no-such-model" was not found at http://models.test (404): check the model name and base URL');
    expect(error.kind).toBe('not-found');
  });

  it('reports a refused connection after its retries', async () => {
    vi.useFakeTimers();
    const fake = scriptedFetch(refused());
    const pending = unavailable(model(fake, { maxRetries: 1 }).complete(MESSAGES));
    await vi.runAllTimersAsync();
    const error = await pending;
    expect(error.kind).toBe('connection');
    expect(error.message).toBe('could not connect to the model server at http://models.test after 1 retry');
    expect(fake.calls).toHaveLength(2);
  });
});

describe('timeouts (fake timers)', () => {
  it('times out a server that never answers, retrying first', async () => {
    vi.useFakeTimers();
    const fake = scriptedFetch(hang());
    const pending = unavailable(model(fake, { timeoutMs: 300, maxRetries: 1 }).complete(MESSAGES));
    await vi.runAllTimersAsync();
    const error = await pending;
    expect(error.message).toBe('model request timed out after 300 ms after 1 retry');
    expect(error.kind).toBe('timeout');
    expect(fake.calls).toHaveLength(2);
  });

  it('ends a stream that stalls between chunks, keeping what was streamed', async () => {
    vi.useFakeTimers();
    const fake = scriptedFetch(stream(['one ', 'two ', 'three'], { stallAfter: 2 }));
    const deltas: string[] = [];
    const pending = unavailable(model(fake, { timeoutMs: 250, maxRetries: 0 }).complete(MESSAGES, { onToken: (d) => deltas.push(d) }));
    await vi.runAllTimersAsync();
    const error = await pending;
    expect(error.message).toBe('model stream stalled: no data for 250 ms');
    expect(error.kind).toBe('timeout');
    expect(deltas).toEqual(['one ', 'two ']);
  });
});

describe('bad replies', () => {
  it.each([
    ['invalid JSON', invalidJson(), 'model returned a malformed response (invalid JSON)'],
    ['no choices', json(200, { id: 'x', object: 'chat.completion', choices: [] }), 'model returned a malformed response (no choices)'],
    ['empty content', completion('   '), 'model returned an empty response'],
  ])('turns %s into a malformed-kind ModelUnavailableError', async (_name, reply, message) => {
    const error = await unavailable(model(scriptedFetch(reply), { maxRetries: 0 }).complete(MESSAGES));
    expect(error.message).toBe(message);
    expect(error.kind).toBe('malformed');
  });

  it('turns a stream without choices into a malformed-kind error', async () => {
    const fake = scriptedFetch(stream([], {}));
    const error = await unavailable(model(fake, { maxRetries: 0 }).complete(MESSAGES, { onToken: () => {} }));
    expect(error.message).toBe('model returned a malformed response (no choices)');
  });
});

describe('abort', () => {
  it('rejects with the abort reason (not ModelUnavailableError) when aborted while waiting', async () => {
    const fake = scriptedFetch(hang());
    const controller = new AbortController();
    const pending = model(fake, { timeoutMs: 60_000 }).complete(MESSAGES, { signal: controller.signal });
    await vi.waitFor(() => expect(fake.calls).toHaveLength(1));
    controller.abort();
    const error = await rejection(pending);
    expect(error).not.toBeInstanceOf(ModelUnavailableError);
    expect(error.name).toBe('AbortError');
    expect(fake.calls).toHaveLength(1);
  });

  it('stops a stream when aborted mid-way', async () => {
    const fake = scriptedFetch(stream(['one ', 'two ', 'three ', 'four'], { stallAfter: 4 }));
    const controller = new AbortController();
    const deltas: string[] = [];
    const error = await rejection(
      model(fake).complete(MESSAGES, {
        signal: controller.signal,
        onToken: (d) => {
          deltas.push(d);
          if (deltas.length === 2) controller.abort();
        },
      }),
    );
    expect(error.name).toBe('AbortError');
    expect(deltas).toEqual(['one ', 'two ']);
  });

  it('does not call the server when already aborted', async () => {
    const fake = scriptedFetch(completion('unused'));
    const error = await rejection(model(fake).complete(MESSAGES, { signal: AbortSignal.abort() }));
    expect(error.name).toBe('AbortError');
    expect(fake.calls).toHaveLength(0);
  });
});
