import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { createOpenAIChatModel } from '../../src/model/openai-chat-model.js';
import type { Prompts } from '../../src/prompts/load-prompts.js';
import { assessConsensus, OFFLINE_CONSENSUS_NOTICE, STANCE_LABELS, type ConsensusJudge } from '../../src/verify/assess-consensus.js';
import { makePaper, realPrompts } from '../answer/answer-fakes.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';

const CLAIM = 'A rehearsal memory buffer of old data mitigates catastrophic forgetting.';
const PAPERS = [
  makePaper(
    'Learning to Prompt for Continual Learning',
    'Typical methods rely on a rehearsal buffer to address forgetting. Our method learns to prompt a pre-trained model. ' +
      'Prompts are small learnable parameters kept in a memory space. L2P achieves competitive results against rehearsal-based methods even without a rehearsal buffer.',
  ),
  makePaper(
    'Relational Experience Replay',
    'Rehearsal-based methods keep a small part of data from old tasks as a memory buffer and mitigate catastrophic forgetting. We propose a bi-level framework. It surpasses the state of the art.',
  ),
  makePaper('VideoMAE V2', 'We present a dual masking strategy for efficient video pre-training. The video ViT achieves 90.0% on K400.'),
];

describe('assessConsensus offline', () => {
  it('gives each paper its sentence closest to the claim, stance "not judged (no model)", and a labelled synthesis', async () => {
    const result = await assessConsensus(CLAIM, PAPERS);
    expect(result.mode).toBe('offline');
    expect(result.notice).toBe(OFFLINE_CONSENSUS_NOTICE);
    expect(result.usage).toBeNull();
    expect(result.papers.map((p) => [p.n, p.id, p.stance])).toEqual([
      [1, PAPERS[0]!.id, 'not-judged'],
      [2, PAPERS[1]!.id, 'not-judged'],
      [3, PAPERS[2]!.id, 'not-judged'],
    ]);
    expect(STANCE_LABELS[result.papers[0]!.stance]).toBe('not judged (no model)');
    expect(result.papers[1]!.evidence).toBe('Rehearsal-based methods keep a small part of data from old tasks as a memory buffer and mitigate catastrophic forgetting.');
    expect(result.synthesis).toMatch(/^Stances not judged: .*; a sentence matching most of the claim's words is in \[2\]\. Read them/);
    const unrelated = await assessConsensus('Diffusion models generate protein structures.', PAPERS);
    expect(unrelated.synthesis).toContain('no abstract has a sentence matching most of the claim’s words');
  });

  it('rejects an empty claim with a clear message and returns an empty result for no papers', async () => {
    await expect(assessConsensus(' \u200b ', PAPERS)).rejects.toThrow(UserFacingError);
    const none = await assessConsensus(CLAIM, []);
    expect(none.papers).toEqual([]);
    expect(none.synthesis).toBe('');
  });

  it('judges at most maxPapers papers, in the order given', async () => {
    const result = await assessConsensus(CLAIM, PAPERS, undefined, { maxPapers: 2 });
    expect(result.papers.map((p) => p.n)).toEqual([1, 2]);
  });
});

describe('assessConsensus with a model (fake OpenAI server, real openai client)', () => {
  let server: FakeOpenAIServer;
  let prompts: Prompts;
  beforeAll(async () => {
    server = await startFakeOpenAIServer();
    prompts = await realPrompts();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
  });
  const judge = (): ConsensusJudge => ({
    model: createOpenAIChatModel({ baseURL: server.baseURL, apiKey: 'test-key', model: 'fake-model', timeoutMs: 2_000, maxRetries: 0 }),
    prompts,
  });
  const reply = (papers: unknown[], synthesis = 'The papers disagree: [2] relies on a buffer while [1] does without one.') => JSON.stringify({ papers, synthesis });

  it('takes the stances, evidence and synthesis from one validated call', async () => {
    server.enqueue({
      kind: 'reply',
      text: reply([
        { n: 1, stance: 'contradicts', evidence: '1.4' },
        { n: 2, stance: 'supports', evidence: '2.1' },
        { n: 3, stance: 'does-not-say', evidence: null },
      ]),
    });
    const result = await assessConsensus(CLAIM, PAPERS, judge());
    expect(server.chatRequests()).toHaveLength(1);
    expect(result.mode).toBe('llm');
    expect(result.notice).toBeUndefined();
    expect(result.papers.map((p) => [p.stance, p.evidence])).toEqual([
      ['contradicts', 'L2P achieves competitive results against rehearsal-based methods even without a rehearsal buffer.'],
      ['supports', 'Rehearsal-based methods keep a small part of data from old tasks as a memory buffer and mitigate catastrophic forgetting.'],
      ['does-not-say', ''],
    ]);
    expect(result.synthesis).toBe('The papers disagree: [2] relies on a buffer while [1] does without one.');
    expect(result.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('puts the claim in as escaped data and shows each paper’s closest sentences with their own numbers', async () => {
    server.enqueue({ kind: 'reply', text: reply([{ n: 1, stance: 'supports', evidence: '1.1' }], 'Only [1].') });
    await assessConsensus('Buffers </claim> help', PAPERS.slice(0, 1), judge(), { sentencesPerPaper: 2 });
    const prompt = (server.chatRequests()[0]!.body as { messages: { content: string }[] }).messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('<claim>\nBuffers &lt;/claim&gt; help\n</claim>');
    expect(prompt).toContain('[1.1] Typical methods rely on a rehearsal buffer to address forgetting.');
    expect(prompt).toContain('[1.4] L2P achieves competitive results');
    expect(prompt).not.toContain('[1.2]');
  });

  it('removes synthesis citations to numbers it was not given, and counts them', async () => {
    server.enqueue({
      kind: 'reply',
      text: reply([{ n: 1, stance: 'supports', evidence: '1.1' }, { n: 2, stance: 'supports', evidence: null }, { n: 3, stance: 'does-not-say' }], 'Both agree [1, 2], unlike [7].'),
    });
    const result = await assessConsensus(CLAIM, PAPERS, judge());
    expect(result.synthesis).toBe('Both agree [1, 2], unlike.');
    expect(result.removedCitations).toBe(1);
    // A stance without named evidence shows the sentence closest to the claim.
    expect(result.papers[1]!.evidence).toContain('memory buffer');
  });

  it('falls back to the offline result, with the reason, on malformed JSON, wrong papers, foreign evidence or a server fault', async () => {
    const offline = await assessConsensus(CLAIM, PAPERS);
    const cases: [Parameters<FakeOpenAIServer['enqueue']>[0], RegExp][] = [
      [{ kind: 'reply', text: '{"papers": [' }, /not valid JSON/],
      [{ kind: 'reply', text: reply([{ n: 1, stance: 'supports' }]) }, /judged papers \[1\] instead of 1…3/],
      [{ kind: 'reply', text: reply([{ n: 1, stance: 'agrees' }, { n: 2, stance: 'supports' }, { n: 3, stance: 'supports' }]) }, /expected shape/],
      [{ kind: 'reply', text: reply([{ n: 1, stance: 'supports', evidence: '2.1' }, { n: 2, stance: 'supports' }, { n: 3, stance: 'mixed' }]) }, /paper 1: evidence "2\.1"/],
      [{ kind: 'status', status: 500 }, /500/],
    ];
    for (const [behavior, reason] of cases) {
      server.enqueue(behavior);
      const result = await assessConsensus(CLAIM, PAPERS, judge());
      expect(result.mode).toBe('offline');
      expect(result.notice).toMatch(/^The language model could not judge the stances \(.+\); each paper shows/);
      expect(result.notice).toMatch(reason);
      expect(result.papers).toEqual(offline.papers);
    }
  });
});
