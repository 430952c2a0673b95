import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import type { ChatModel } from '../../src/model/chat-model.js';
import { createOpenAIChatModel } from '../../src/model/openai-chat-model.js';
import { loadPrompts, type Prompts } from '../../src/prompts/load-prompts.js';
import { checkClaims } from '../../src/verify/check-claims.js';
import { createModelClaimVerifier } from '../../src/verify/model-claim-verifier.js';
import { createOfflineClaimScorer } from '../../src/verify/score-claim.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { TWO_SOURCES } from './verify-fixtures.js';

const SOURCES = TWO_SOURCES;
const ANSWER = 'VideoMAE V2 masks both encoder and decoder [1]. It reaches 86.6% on K400 [1]. L2P keeps prompts in memory [2].';

let server: FakeOpenAIServer;
let prompts: Prompts;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
  prompts = await loadPrompts(path.join(PROJECT_ROOT, 'prompts'));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

function model(timeoutMs = 2_000): ChatModel {
  return createOpenAIChatModel({ baseURL: server.baseURL, apiKey: 'test-key', model: 'fake-model', timeoutMs, maxRetries: 0 });
}

function verifier(chatModel = model(), timeoutMs?: number) {
  return createModelClaimVerifier({ model: chatModel, prompts, fallback: createOfflineClaimScorer(), ...(timeoutMs ? { timeoutMs } : {}) });
}

const reply = (claims: unknown[]) => JSON.stringify({ claims });

describe('model claim verifier (fake OpenAI server, real openai client)', () => {
  it('judges all claims in one call and keeps the verdicts and the evidence the model names', async () => {
    server.enqueue({
      kind: 'reply',
      text: reply([
        { id: 1, verdict: 'supported', evidence: '1.1' },
        { id: 2, verdict: 'partial', evidence: '1.2' },
        { id: 3, verdict: 'unsupported', evidence: null },
      ]),
    });
    const check = await checkClaims(ANSWER, SOURCES, verifier());
    expect(server.chatRequests()).toHaveLength(1);
    expect(check.verifiedBy).toBe('model');
    expect(check.fallbackReason).toBeUndefined();
    expect(check.claims.map((c) => [c.supported, c.score])).toEqual([
      [true, 1],
      [false, 0.5],
      [false, 0],
    ]);
    expect(check.claims[0]!.evidence).toBe('We present a dual masking strategy for efficient pre-training.');
    expect(check.claims[1]!.evidence).toBe('The video ViT achieves 90.0% on K400 and 89.9% on K600.');
    // No evidence named: the offline scorer's best sentence of the cited abstract.
    expect(SOURCES[1]!.paper.abstract).toContain(check.claims[2]!.evidence);
    expect(check.summary.unsupported).toBe(2);
    expect(check.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('sends the numbered sentences of the cited abstracts and the claims as data, at temperature 0', async () => {
    server.enqueue({ kind: 'reply', text: reply([{ id: 1, verdict: 'supported', evidence: '2.2' }]) });
    await checkClaims('L2P keeps prompts in memory [2].', SOURCES, verifier());
    const body = server.chatRequests()[0]!.body as { temperature: number; messages: { content: string }[] };
    const prompt = body.messages.map((m) => m.content).join('\n');
    expect(body.temperature).toBe(0);
    expect(prompt).toContain('[2.2] Prompts are small learnable parameters kept in a memory space.');
    expect(prompt).toContain('1. (cites [2]) L2P keeps prompts in memory.');
    expect(prompt).not.toContain('[1] Title'); // only cited sources are sent
  });

  it('accepts a JSON reply wrapped in a Markdown code fence', async () => {
    server.enqueue({ kind: 'reply', text: `Here you go:\n\`\`\`json\n${reply([{ id: 1, verdict: 'supported', evidence: '[2.2]' }])}\n\`\`\`` });
    const check = await checkClaims('L2P keeps prompts in memory [2].', SOURCES, verifier());
    expect(check.verifiedBy).toBe('model');
    expect(check.claims[0]!.evidence).toBe('Prompts are small learnable parameters kept in a memory space.');
  });

  it('falls back to the offline scorer on malformed JSON', async () => {
    server.enqueue({ kind: 'reply', text: '{"claims": [{"id": 1, "verdict": "supported"' });
    const check = await checkClaims(ANSWER, SOURCES, verifier());
    const offline = await checkClaims(ANSWER, SOURCES, createOfflineClaimScorer());
    expect(check.verifiedBy).toBe('offline');
    expect(check.fallbackReason).toBe('the reply is not valid JSON');
    expect(check.claims).toEqual(offline.claims);
    expect(check.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('falls back when the reply has the wrong shape, misses a claim or repeats one', async () => {
    const cases: [string, RegExp][] = [
      [JSON.stringify({ verdicts: [] }), /expected shape \(claims:/],
      [reply([{ id: 1, verdict: 'maybe' }]), /expected shape \(claims\.0\.verdict/],
      [reply([{ id: 1, verdict: 'supported' }, { id: 2, verdict: 'supported' }]), /judged ids \[1, 2\] instead of 1…3/],
      [reply([{ id: 1, verdict: 'supported' }, { id: 1, verdict: 'supported' }, { id: 3, verdict: 'supported' }]), /judged ids \[1, 1, 3\]/],
      [reply([{ id: 1, verdict: 'supported' }, { id: 2, verdict: 'supported' }, { id: 3, verdict: 'supported', evidence: '1.1' }]), /claim 3: evidence "1\.1" is not a sentence of its cited sources/],
      ['I cannot help with that.', /holds no JSON object/],
    ];
    for (const [text, reason] of cases) {
      server.enqueue({ kind: 'reply', text });
      const check = await checkClaims(ANSWER, SOURCES, verifier());
      expect(check.verifiedBy, text).toBe('offline');
      expect(check.fallbackReason, text).toMatch(reason);
      expect(check.claims.map((c) => c.supported), text).toEqual([true, false, true]);
    }
  });

  it('falls back when the server fails (5xx), answers malformed HTTP, or times out', async () => {
    server.enqueue({ kind: 'status', status: 503 });
    expect(await checkClaims(ANSWER, SOURCES, verifier())).toMatchObject({ verifiedBy: 'offline', fallbackReason: expect.stringContaining('503'), usage: null });
    server.enqueue({ kind: 'invalid-json' });
    expect((await checkClaims(ANSWER, SOURCES, verifier())).verifiedBy).toBe('offline');
    server.enqueue({ kind: 'hang' });
    const timedOut = await checkClaims(ANSWER, SOURCES, verifier(model(), 50));
    expect(timedOut.verifiedBy).toBe('offline');
    expect(timedOut.fallbackReason).toBe('the model did not reply within 50 ms');
    expect(timedOut.claims).toHaveLength(3);
  });

  it('passes the caller’s abort on instead of falling back', async () => {
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = checkClaims(ANSWER, SOURCES, verifier(), { signal: controller.signal });
    controller.abort(new Error('user cancelled'));
    await expect(pending).rejects.toThrow('user cancelled');
  });
});
