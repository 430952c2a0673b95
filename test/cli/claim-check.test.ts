import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { makeIndexedDataDir } from '../support/indexed-data-dir.js';
import { runCliInProcess } from '../support/run-cli.js';

let dataDir: string;
let env: Record<string, string>;
let server: FakeOpenAIServer;

beforeAll(async () => {
  dataDir = await makeIndexedDataDir();
  env = { PAPERBOT_DATA_DIR: dataDir };
  const first = await runCliInProcess(['search', 'video masked autoencoders', '--json', '--k', '1'], { env });
  expect(first.code).toBe(0);
  server = await startFakeOpenAIServer();
}, 120_000);
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

const QUESTION = 'how does VideoMAE V2 scale video masked autoencoders?';
/** The first sentence restates the VideoMAE V2 abstract; the second makes up a number and a benchmark. */
const MODEL_ANSWER = 'VideoMAE V2 is a scalable and general self-supervised pre-trainer for video foundation models [1]. It reaches 12.5% top-1 accuracy on the Zorblax-7 benchmark [1].';

interface ClaimJson {
  text: string;
  citations: number[];
  supported: boolean;
  score: number;
  evidence: string;
}
interface AnswerJson {
  answer: string;
  sources: { n: number }[];
  mode: string;
  usage: { totalTokens: number } | null;
  claims?: ClaimJson[];
  claimCheck?: { cited: number; unsupported: number; verifiedBy: string; fallbackReason?: string };
}

function expectClaimContract(claims: ClaimJson[] | undefined): ClaimJson[] {
  expect(Array.isArray(claims)).toBe(true);
  for (const claim of claims!) {
    expect(Object.keys(claim)).toEqual(['text', 'citations', 'supported', 'score', 'evidence']);
    expect(typeof claim.text).toBe('string');
    expect(claim.citations.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
    expect(typeof claim.supported).toBe('boolean');
    expect(claim.score).toBeGreaterThanOrEqual(0);
    expect(claim.score).toBeLessThanOrEqual(1);
    expect(typeof claim.evidence).toBe('string');
  }
  return claims!;
}

const modelEnv = () => ({ ...env, OPENAI_BASE_URL: server.baseURL, CHAT_MODEL: 'fake-model', OPENAI_MAX_RETRIES: '0' });

describe('claim check on answers (CLI)', () => {
  it('offline: --json carries claims with the contract fields; quoted sentences all match their sources', async () => {
    const run = await runCliInProcess(['ask', QUESTION, '--json'], { env });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as AnswerJson;
    const claims = expectClaimContract(result.claims);
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.every((c) => c.supported && c.evidence.length > 0)).toBe(true);
    expect(result.claimCheck).toEqual({ cited: claims.length, unsupported: 0, verifiedBy: 'offline' });
    for (const claim of claims) for (const n of claim.citations) expect(result.sources.map((s) => s.n)).toContain(n);
  });

  it('offline text output ends with the footer; summarize and compare are checked too', async () => {
    const ask = await runCliInProcess(['ask', QUESTION], { env });
    expect(ask.stdout).toMatch(/All \d+ cited sentences matched their sources\./);
    const summarize = JSON.parse((await runCliInProcess(['summarize', 'continual learning with prompts', '--json'], { env })).stdout) as AnswerJson;
    expect(expectClaimContract(summarize.claims).length).toBeGreaterThan(0);
    const compare = JSON.parse((await runCliInProcess(['compare', 'L2P', 'DualPrompt', '--json'], { env })).stdout) as AnswerJson;
    expect(expectClaimContract(compare.claims).length).toBeGreaterThan(0);
  });

  it('a refusal and VERIFY_CLAIMS=off carry no claims', async () => {
    const refused = JSON.parse((await runCliInProcess(['ask', 'what is the best sourdough bread recipe?', '--json'], { env })).stdout) as AnswerJson;
    expect(refused.claims).toBeUndefined();
    const off = JSON.parse((await runCliInProcess(['ask', QUESTION, '--json'], { env: { ...env, VERIFY_CLAIMS: 'off' } })).stdout) as AnswerJson;
    expect(off.claims).toBeUndefined();
    expect(off.answer.length).toBeGreaterThan(0);
  });

  it('a model answer: the made-up sentence is flagged offline, listed with ⚠ after the stream, with the footer', async () => {
    server.enqueue({ kind: 'reply', text: MODEL_ANSWER });
    const run = await runCliInProcess(['ask', QUESTION], { env: modelEnv() });
    expect(run.code).toBe(0);
    expect(server.chatRequests()).toHaveLength(1); // offline check: no extra model call
    expect(run.stdout).toContain('⚠ 1 of 2 cited sentences could not be matched to their sources.');
    expect(run.stdout).toContain('  ⚠ It reaches 12.5% top-1 accuracy on the Zorblax-7 benchmark [1].');
    expect(run.stdout).not.toContain('⚠ VideoMAE V2 is');

    server.enqueue({ kind: 'reply', text: MODEL_ANSWER });
    const json = JSON.parse((await runCliInProcess(['ask', QUESTION, '--json'], { env: modelEnv() })).stdout) as AnswerJson;
    expect(expectClaimContract(json.claims).map((c) => c.supported)).toEqual([true, false]);
    expect(json.claims![1]!.citations).toEqual([1]);
    expect(json.claimCheck).toMatchObject({ cited: 2, unsupported: 1, verifiedBy: 'offline' });
  });

  it('VERIFY_CLAIMS=model: one batched call with valid JSON decides the verdicts', async () => {
    server.enqueue({ kind: 'reply', text: MODEL_ANSWER });
    server.enqueue({ kind: 'reply', text: JSON.stringify({ claims: [{ id: 1, verdict: 'unsupported', evidence: null }, { id: 2, verdict: 'supported', evidence: '1.1' }] }) });
    const run = await runCliInProcess(['ask', QUESTION, '--json'], { env: { ...modelEnv(), VERIFY_CLAIMS: 'model' } });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as AnswerJson;
    expect(server.chatRequests()).toHaveLength(2);
    expect(JSON.stringify(server.chatRequests()[1]!.body)).toContain('supported by the paper abstracts they cite');
    expect(expectClaimContract(result.claims).map((c) => [c.supported, c.score])).toEqual([[false, 0], [true, 1]]);
    expect(result.claimCheck).toMatchObject({ verifiedBy: 'model', unsupported: 1 });
  });

  it('VERIFY_MODEL names the checking model; malformed JSON or a fault falls back to the offline check', async () => {
    server.enqueue({ kind: 'reply', text: MODEL_ANSWER });
    server.enqueue({ kind: 'reply', text: 'Sure! The claims look fine to me.' });
    const malformed = JSON.parse((await runCliInProcess(['ask', QUESTION, '--json'], { env: { ...modelEnv(), VERIFY_MODEL: 'checker-model' } })).stdout) as AnswerJson;
    expect(server.chatRequests().map((r) => r.body?.model)).toEqual(['fake-model', 'checker-model']);
    expect(malformed.claims!.map((c) => c.supported)).toEqual([true, false]);
    expect(malformed.claimCheck).toMatchObject({ verifiedBy: 'offline' });
    expect(malformed.claimCheck!.fallbackReason).toMatch(/JSON/);

    server.enqueue({ kind: 'reply', text: MODEL_ANSWER });
    server.enqueue({ kind: 'status', status: 500 });
    const fault = await runCliInProcess(['ask', QUESTION], { env: { ...modelEnv(), VERIFY_CLAIMS: 'model' } });
    expect(fault.code).toBe(0);
    expect(fault.stdout).toContain('⚠ 1 of 2 cited sentences could not be matched to their sources.');
    expect(fault.stdout).toMatch(/Checked offline: the model could not check the claims/);
  });

  it('VERIFY_CLAIMS=model: an extractive fallback answer (quoted from the abstracts) is checked offline, without a model call', async () => {
    server.enqueue({ kind: 'status', status: 500 });
    const result = JSON.parse((await runCliInProcess(['ask', QUESTION, '--json'], { env: { ...modelEnv(), VERIFY_CLAIMS: 'model' } })).stdout) as AnswerJson;
    expect(result.mode).toBe('extractive');
    expect(server.chatRequests()).toHaveLength(1);
    expect(result.claimCheck).toEqual({ cited: result.claims!.length, unsupported: 0, verifiedBy: 'offline' });
  });

  it('a bad VERIFY_CLAIMS, or the model check without a model, fails start-up naming the variable', async () => {
    const bad = await runCliInProcess(['ask', QUESTION], { env: { ...env, VERIFY_CLAIMS: 'maybe' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/VERIFY_CLAIMS/);
    const noModel = await runCliInProcess(['ask', QUESTION], { env: { ...env, VERIFY_CLAIMS: 'model' } });
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/VERIFY_CLAIMS/);
    const noModelForName = await runCliInProcess(['ask', QUESTION], { env: { ...env, VERIFY_MODEL: 'x' } });
    expect(noModelForName.code).toBe(2);
    expect(noModelForName.stderr).toMatch(/VERIFY_MODEL/);
  });
});

describe('formatAnswer (CLI text) with a claim check', () => {
  it('puts ⚠ right after each unsupported cited sentence, not after supported ones', async () => {
    const { formatAnswer } = await import('../../src/cli/format-output.js');
    const { checkClaims } = await import('../../src/verify/check-claims.js');
    const { createOfflineClaimScorer } = await import('../../src/verify/score-claim.js');
    const paper = { title: 'VideoMAE V2', abstract: 'We present a dual masking strategy for efficient pre-training. The video ViT achieves 90.0% on K400.' };
    const answer = 'It uses dual masking for efficient pre-training [1]. It achieves 86.6% on K400 [1]. Done.';
    const claimCheck = await checkClaims(answer, [{ n: 1, paper }], createOfflineClaimScorer());
    const text = formatAnswer({ answer, sources: [{ n: 1, id: 'p', title: 'VideoMAE V2', url: 'https://x.example' }], mode: 'llm', refused: false, usage: null, claimCheck });
    expect(text).toContain('It uses dual masking for efficient pre-training [1]. It achieves 86.6% on K400 [1]. ⚠ Done.');
    expect(text).toContain('⚠ 1 of 2 cited sentences could not be matched to their sources.');
  });
});
