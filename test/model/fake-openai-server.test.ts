import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultFakeAnswer, fakeEmbedding, startFakeOpenAIServer, type FakeChatRequest, type FakeOpenAIServer } from '../support/fake-openai-server.js';

let server: FakeOpenAIServer;

function chatRequest(prompt: string): FakeChatRequest {
  return { model: 'm', messages: [{ role: 'user', content: prompt }], stream: false, body: {}, lastUserMessage: prompt, prompt };
}

async function postChat(body: object): Promise<Response> {
  return fetch(`${server.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

beforeEach(async () => {
  server = await startFakeOpenAIServer({ model: 'listed-model' });
});
afterEach(async () => {
  await server.close();
});

describe('fake OpenAI server', () => {
  it('has a /v1 base URL on 127.0.0.1 and lists its model', async () => {
    expect(server.baseURL).toBe(`http://127.0.0.1:${server.port}/v1`);
    const response = await fetch(`${server.baseURL}/models`);
    const body = (await response.json()) as { data: { id: string }[] };
    expect(body.data.map((m) => m.id)).toEqual(['listed-model']);
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models', route: 'models' });
  });

  it('builds the default answer from the [1] and [2] sources of the prompt', () => {
    const two = defaultFakeAnswer(chatRequest('Sources:\n[1] Alpha Paper\nabstract\n[2] Beta Paper\nabstract\nQuestion: x'));
    expect(two).toContain('[1] (Alpha Paper)');
    expect(two).toContain('[2] (Beta Paper)');
    const none = defaultFakeAnswer(chatRequest('Question without sources'));
    expect(none).not.toMatch(/\[\d\]/);
  });

  it('streams SSE chunks and a usage chunk only when asked', async () => {
    server.enqueue({ kind: 'reply', text: 'a b' });
    server.enqueue({ kind: 'reply', text: 'a b' });
    const withUsage = await (await postChat({ model: 'm', messages: [], stream: true, stream_options: { include_usage: true } })).text();
    const without = await (await postChat({ model: 'm', messages: [], stream: true })).text();
    expect(withUsage.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(withUsage).toContain('"usage"');
    expect(without).not.toContain('"usage"');
    const deltas = withUsage
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map((e) => (JSON.parse(e.slice(6)) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '')
      .join('');
    expect(deltas).toBe('a b');
  });

  it('streamHeld: sends the first deltas of a stream, then the rest once the test lets it', async () => {
    let release = () => undefined as void;
    const until = new Promise<void>((resolve) => (release = resolve));
    server.enqueue({ kind: 'reply', text: 'one two three four', streamHeld: { afterDeltas: 2, until } });
    const reader = (await postChat({ model: 'm', messages: [], stream: true })).body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const deltas = () =>
      received
        .split('\n\n')
        .filter((e) => e.startsWith('data: {') && e.endsWith('}'))
        .map((e) => (JSON.parse(e.slice(6)) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '')
        .join('');
    while (deltas().length < 'one two '.length) received += (await reader.read()).value ?? '';
    expect(deltas()).toBe('one two '); // (unheld, the server writes every chunk at once)
    release();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += chunk.value;
    expect(deltas()).toBe('one two three four');
    expect(received.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('returns deterministic unit-length embeddings', async () => {
    const post = async () =>
      (await (
        await fetch(`${server.baseURL}/embeddings`, { method: 'POST', body: JSON.stringify({ model: 'e', input: ['x', 'y'], dimensions: 5 }) })
      ).json()) as { data: { index: number; embedding: number[] }[] };
    const first = await post();
    const second = await post();
    expect(first).toEqual(second);
    const x = first.data.find((d) => d.index === 0)?.embedding ?? [];
    expect(x).toEqual(fakeEmbedding('x', 5));
    expect(Math.hypot(...x)).toBeCloseTo(1, 6);
    expect(fakeEmbedding('x', 5)).not.toEqual(fakeEmbedding('y', 5));
  });

  it('tracks in-flight chat requests and close() ends hanging ones', async () => {
    server.setDefault({ kind: 'hang' });
    const pending = postChat({ model: 'm', messages: [] }).then(
      () => 'answered',
      () => 'failed',
    );
    while (server.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    expect(server.inFlight).toBe(1);
    await server.close();
    expect(await pending).toBe('failed');
  });
});
