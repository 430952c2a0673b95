import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/answer/answer-question.js';
import { createOpenAIChatModel } from '../../src/model/openai-chat-model.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { makeDeps, paperTitled } from './answer-fakes.js';

const PAPERS = [
  paperTitled('Learning to Prompt for Continual Learning'),
  paperTitled('DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning'),
  paperTitled('VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking'),
];
const QUESTION = 'How do prompts help rehearsal-free continual learning?';
const API_KEY = 'sk-test-adapter-key-0123456789';

describe('answerQuestion through the real OpenAI adapter (fake OpenAI server)', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer();
  });
  afterAll(async () => {
    await server.close();
  });

  function model() {
    return createOpenAIChatModel({ baseURL: server.baseURL, apiKey: API_KEY, model: 'fake-model', timeoutMs: 2_000, maxRetries: 1 });
  }

  it('streams a cited answer and reports usage; the key is sent as a header, never in the prompt', async () => {
    server.reset();
    const deltas: string[] = [];
    const deps = await makeDeps(PAPERS, model());
    const result = await answerQuestion(deps, QUESTION, { onToken: (d) => deltas.push(d) });
    expect(result.mode).toBe('llm');
    expect(deltas.join('')).toBe(result.answer);
    expect(result.answer).toContain('[1]');
    expect(result.sources[0]!.n).toBe(1);
    expect(result.usage?.totalTokens).toBeGreaterThan(0);
    const [request] = server.chatRequests();
    expect(request).toBeDefined();
    const body = JSON.stringify(request!.body);
    expect(body).toContain('<question>');
    expect(body).not.toContain(API_KEY);
    expect(String(request!.headers.authorization)).toContain(API_KEY);
  });

  it('falls back to the extractive answer with a notice when the server keeps failing', async () => {
    server.reset();
    server.enqueue({ kind: 'status', status: 503 });
    server.enqueue({ kind: 'status', status: 503 });
    const deps = await makeDeps(PAPERS, model());
    const result = await answerQuestion(deps, QUESTION);
    expect(server.chatRequests()).toHaveLength(2);
    expect(result.mode).toBe('extractive');
    expect(result.notice).toMatch(/^The language model is unavailable right now \(.+\); here are the most relevant passages instead\.$/);
    expect(result.notice).not.toContain(API_KEY);
    expect(result.sources.length).toBeGreaterThan(0);
  });
});
