import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOpenAIEmbedder, EmbeddingRequestError, type OpenAIEmbedderOptions } from '../../src/model/openai-embedder.js';
import { fakeEmbedding, startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { rejection } from '../support/rejection.js';
import { hang, scriptedFetch } from './fake-fetch.js';

const API_KEY = 'sk-embed-SECRET-9876543210';
let server: FakeOpenAIServer;

function embedder(overrides: Partial<OpenAIEmbedderOptions> = {}) {
  return createOpenAIEmbedder({ apiKey: API_KEY, baseURL: server.baseURL, model: 'fake-embed', maxRetries: 1, timeoutMs: 2_000, ...overrides });
}


beforeEach(async () => {
  server = await startFakeOpenAIServer({ embeddingDimensions: 12 });
});
afterEach(async () => {
  await server.close();
});

describe('createOpenAIEmbedder', () => {
  it('embeds 150 texts in 3 batches of at most 64, in input order', async () => {
    const e = await embedder({ dimensions: 8 });
    const texts = Array.from({ length: 150 }, (_, i) => `paper abstract number ${i}`);
    const vectors = await e.embed(texts);
    const batches = server.embeddingRequests().map((r) => (r.body?.input as string[]).length);
    expect(batches).toEqual([64, 64, 22]);
    expect(vectors).toHaveLength(150);
    // The fake server returns each batch in reverse order; the embedder must re-order by `index`.
    vectors.forEach((vector, i) => expect(vector).toEqual(fakeEmbedding(texts[i] ?? '', 8)));
    expect(server.embeddingRequests()[0]?.body).toMatchObject({ model: 'fake-embed', dimensions: 8, encoding_format: 'float' });
    expect(e.id).toBe('openai:fake-embed@8');
    expect(e.dimensions).toBe(8);
  });

  it('discovers the dimensions with one probe call when not configured', async () => {
    const e = await embedder();
    expect(server.embeddingRequests()).toHaveLength(1);
    expect(e.dimensions).toBe(12);
    expect(e.id).toBe('openai:fake-embed@12');
    expect(server.embeddingRequests()[0]?.body?.dimensions).toBeUndefined();
    const [vector] = await e.embed(['hello']);
    expect(vector).toEqual(fakeEmbedding('hello', 12));
  });

  it('honours batchSize and makes no request for no texts', async () => {
    const e = await embedder({ dimensions: 4, batchSize: 2 });
    expect(await e.embed([])).toEqual([]);
    expect(server.embeddingRequests()).toHaveLength(0);
    await e.embed(['a', 'b', 'c']);
    expect(server.embeddingRequests().map((r) => (r.body?.input as string[]).length)).toEqual([2, 1]);
  });

  it('retries a 429 then succeeds', async () => {
    const e = await embedder({ dimensions: 4 });
    server.enqueue({ kind: 'status', status: 429 }, 'embeddings');
    const vectors = await e.embed(['x']);
    expect(vectors).toEqual([fakeEmbedding('x', 4)]);
    expect(server.embeddingRequests()).toHaveLength(2);
  });

  it('throws a clear error after retries on a persistent 503, without the key', async () => {
    const e = await embedder({ dimensions: 4, maxRetries: 2 });
    server.setDefault({ kind: 'status', status: 503, body: { error: { message: `down for ${API_KEY}` } } }, 'embeddings');
    const error = await rejection(e.embed(['x']));
    expect(error).toBeInstanceOf(EmbeddingRequestError);
    expect(error.message).toBe('embedding model server returned 503 after 2 retries');
    expect(String((error.cause as Error).message)).not.toContain(API_KEY);
    expect(server.embeddingRequests()).toHaveLength(3);
  });

  it('fails the probe with a clear error on 401', async () => {
    server.enqueue({ kind: 'status', status: 401 }, 'embeddings');
    const error = await rejection(embedder());
    expect(error).toBeInstanceOf(EmbeddingRequestError);
    expect(error.message).toMatch(/rejected the API key \(401\)/);
  });

  it.each([
    ['malformed', /malformed response \(no data\)/],
    ['invalid-json', /malformed response \(invalid JSON\)/],
  ] as const)('reports a %s response', async (kind, pattern) => {
    const e = await embedder({ dimensions: 4 });
    server.enqueue({ kind }, 'embeddings');
    const error = await rejection(e.embed(['x']));
    expect(error).toBeInstanceOf(EmbeddingRequestError);
    expect(error.message).toMatch(pattern);
  });

  it('times out a server that never answers (injected fetch, fake timers)', async () => {
    vi.useFakeTimers();
    try {
      const fake = scriptedFetch(hang());
      const e = await embedder({ dimensions: 4, timeoutMs: 200, maxRetries: 1, fetch: fake.fetch });
      const pending = rejection(e.embed(['x']));
      await vi.runAllTimersAsync();
      const error = await pending;
      expect(error).toBeInstanceOf(EmbeddingRequestError);
      expect(error.message).toBe('embedding model request timed out after 200 ms after 1 retry');
      expect(fake.calls).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
