import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelUnavailableError, type ChatMessage } from '../../src/model/chat-model.js';
import { createOpenAIChatModel, type OpenAIChatModelOptions } from '../../src/model/openai-chat-model.js';
import { splitIntoDeltas, startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { rejection } from '../support/rejection.js';

const API_KEY = 'sk-test-SECRET-0123456789abcdef';
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Answer only from the sources and cite them as [n].' },
  { role: 'user', content: 'Sources:\n[1] VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking\nAbstract text.\n\nQuestion: how does it scale?' },
];

let server: FakeOpenAIServer;
const warnings: { obj: object; msg?: string }[] = [];

function model(overrides: Partial<OpenAIChatModelOptions> = {}) {
  return createOpenAIChatModel({
    apiKey: API_KEY,
    baseURL: server.baseURL,
    model: 'fake-chat',
    timeoutMs: 2_000,
    maxRetries: 1,
    logger: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    ...overrides,
  });
}


function expectNoSecret(error: Error): void {
  expect(error.message).not.toContain(API_KEY);
  expect(String((error.cause as Error | undefined)?.message ?? '')).not.toContain(API_KEY);
  expect(JSON.stringify(warnings)).not.toContain(API_KEY);
}

beforeEach(async () => {
  server = await startFakeOpenAIServer();
  warnings.length = 0;
});
afterEach(async () => {
  await server.close();
});

describe('createOpenAIChatModel — replies', () => {
  it('returns the text, the server usage and the model of a non-streamed reply', async () => {
    server.enqueue({ kind: 'reply', text: 'VideoMAE V2 scales with dual masking [1].' });
    const result = await model().complete(MESSAGES, { maxTokens: 50, temperature: 0.2 });
    expect(result.text).toBe('VideoMAE V2 scales with dual masking [1].');
    expect(result.model).toBe('fake-chat');
    const prompt = MESSAGES.map((m) => m.content).join('\n');
    const promptTokens = Math.ceil(prompt.length / 4);
    const completionTokens = Math.ceil(result.text.length / 4);
    expect(result.usage).toEqual({ promptTokens, completionTokens, totalTokens: promptTokens + completionTokens });

    const [request] = server.chatRequests();
    expect(server.chatRequests()).toHaveLength(1);
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toMatchObject({ model: 'fake-chat', messages: MESSAGES, max_tokens: 50, temperature: 0.2 });
    expect(request?.body?.stream).not.toBe(true);
  });

  it('uses the default fake answer, which cites [1] from the prompt', async () => {
    const result = await model().complete(MESSAGES);
    expect(result.text).toContain('[1]');
    expect(result.text).toContain('VideoMAE V2');
  });

  it('streams deltas in order through onToken and returns the joined text with usage', async () => {
    const text = 'Dual masking lets VideoMAE V2 train billion-parameter video models [1].';
    server.enqueue({ kind: 'reply', text, chunkDelayMs: 2 });
    const deltas: string[] = [];
    const result = await model().complete(MESSAGES, { onToken: (d) => deltas.push(d) });
    expect(deltas).toEqual(splitIntoDeltas(text));
    expect(deltas.length).toBeGreaterThan(5);
    expect(result.text).toBe(text);
    expect(result.usage.estimated).toBeUndefined();
    expect(result.usage.completionTokens).toBe(Math.ceil(text.length / 4));
    const body = server.chatRequests()[0]?.body;
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('estimates usage and marks it when the server sends none (non-streamed and streamed)', async () => {
    server.enqueue({ kind: 'reply', text: 'Twelve chars', omitUsage: true });
    server.enqueue({ kind: 'reply', text: 'Streamed without usage', omitUsage: true });
    const plain = await model().complete(MESSAGES);
    const streamed = await model().complete(MESSAGES, { onToken: () => {} });
    const promptTokens = MESSAGES.reduce((sum, m) => sum + Math.ceil(m.content.length / 4), 0);
    expect(plain.usage).toEqual({ promptTokens, completionTokens: 3, totalTokens: promptTokens + 3, estimated: true });
    expect(streamed.usage.estimated).toBe(true);
    expect(streamed.usage.completionTokens).toBe(Math.ceil('Streamed without usage'.length / 4));
  });

  it('sends a placeholder key when only a base URL is configured', async () => {
    const result = await model({ apiKey: undefined }).complete(MESSAGES);
    expect(result.text.length).toBeGreaterThan(0);
    expect(server.chatRequests()[0]?.headers.authorization).toBe('Bearer not-needed');
  });

  it('refuses to build without a key or a base URL', () => {
    expect(() => model({ apiKey: undefined, baseURL: undefined })).toThrow(/API key or an OpenAI-compatible base URL/);
  });
});

describe('createOpenAIChatModel — failures over real HTTP (the rest: openai-chat-model-faults.test.ts)', () => {
  it('retries a 429 (the server asks for a 5 ms wait) and then succeeds', async () => {
    server.enqueue({ kind: 'status', status: 429 });
    const result = await model({ maxRetries: 2 }).complete(MESSAGES);
    expect(result.text).toContain('[1]');
    expect(server.chatRequests()).toHaveLength(2);
  });

  it.each([
    ['invalid JSON', 'invalid-json', false, /malformed response \(invalid JSON\)/],
    ['invalid JSON (stream)', 'invalid-json', true, /malformed response \(invalid JSON\)/],
    ['no choices (stream)', 'malformed', true, /malformed response \(no choices\)/],
  ] as const)('turns %s into ModelUnavailableError', async (_name, kind, stream, pattern) => {
    server.enqueue({ kind });
    const error = await rejection(model({ maxRetries: 0 }).complete(MESSAGES, stream ? { onToken: () => {} } : {}));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.message).toMatch(pattern);
  });

  it('says the key is rejected on 401, without the key anywhere', async () => {
    server.enqueue({ kind: 'status', status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid_request_error' } } });
    const error = await rejection(model().complete(MESSAGES));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.message).toMatch(/rejected the API key \(401\)/);
    expectNoSecret(error);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('reports a server that is not there', async () => {
    const port = server.port;
    await server.close();
    const error = await rejection(model({ baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 }).complete(MESSAGES));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.message).toBe(`could not connect to the model server at http://127.0.0.1:${port}`);
  });
});
