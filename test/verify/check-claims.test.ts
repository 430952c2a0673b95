import { describe, expect, it } from 'vitest';
import { checkClaims, markUnsupportedClaims, summarizeClaims } from '../../src/verify/check-claims.js';
import type { ClaimVerifier } from '../../src/verify/claim-types.js';
import { createOfflineClaimScorer } from '../../src/verify/score-claim.js';
import { TWO_SOURCES } from './verify-fixtures.js';

const SOURCES = TWO_SOURCES;

describe('checkClaims', () => {
  it('checks every cited sentence and returns the JSON contract fields with a summary', async () => {
    const answer = 'VideoMAE V2 uses a dual masking strategy for efficient pre-training [1]. It reaches 86.6% on K400 [1]. Uncited aside. L2P keeps learnable prompts in a memory space [2].';
    const check = await checkClaims(answer, SOURCES, createOfflineClaimScorer());
    expect(check.claims.map((c) => Object.keys(c).sort())).toEqual(Array(3).fill(['citations', 'evidence', 'score', 'supported', 'text']));
    expect(check.claims.map((c) => [c.text, c.citations, c.supported])).toEqual([
      ['VideoMAE V2 uses a dual masking strategy for efficient pre-training [1].', [1], true],
      ['It reaches 86.6% on K400 [1].', [1], false],
      ['L2P keeps learnable prompts in a memory space [2].', [2], true],
    ]);
    expect(check.claims[1]!.evidence).toBe('The video ViT achieves 90.0% on K400 and 89.9% on K600.');
    expect(check.summary).toEqual({ cited: 3, unsupported: 1, line: '1 of 3 cited sentences could not be matched to their sources.' });
    expect(check.verifiedBy).toBe('offline');
  });

  it('marks each unsupported sentence after its citation', async () => {
    const answer = 'It reaches 86.6% on K400 [1]. L2P keeps learnable prompts in a memory space [2].';
    const check = await checkClaims(answer, SOURCES, createOfflineClaimScorer());
    expect(markUnsupportedClaims(answer, check)).toBe('It reaches 86.6% on K400 [1]. ⚠ L2P keeps learnable prompts in a memory space [2].');
    expect(markUnsupportedClaims(answer, check, '(?)')).toBe('It reaches 86.6% on K400 [1]. (?) L2P keeps learnable prompts in a memory space [2].');
  });

  it('ignores citations to numbers that are not among the sources, and sentences saying a source is silent', async () => {
    const calls: number[] = [];
    const verifier: ClaimVerifier = {
      kind: 'offline',
      async verify(sentences) {
        calls.push(sentences.length);
        return { verdicts: sentences.map(() => ({ supported: true, score: 1, evidence: 'e' })), verifiedBy: 'offline' };
      },
    };
    const check = await checkClaims('A claim [7]. The abstract does not say [2]. Both [1, 7].', SOURCES, verifier);
    expect(check.claims.map((c) => [c.text, c.citations])).toEqual([['Both [1, 7].', [1]]]);
    expect(calls).toEqual([1]);
  });

  it('does not call the verifier when nothing is cited', async () => {
    let called = false;
    const verifier: ClaimVerifier = {
      kind: 'model',
      async verify() {
        called = true;
        throw new Error('must not be called');
      },
    };
    const check = await checkClaims('No citations here.', SOURCES, verifier);
    expect(called).toBe(false);
    expect(check.claims).toEqual([]);
    expect(check.summary.line).toBe('No cited sentences to check.');
  });
});

describe('summarizeClaims', () => {
  it('says how many cited sentences could not be matched', () => {
    const claim = (supported: boolean) => ({ text: 't', citations: [1], supported, score: supported ? 1 : 0, evidence: '' });
    expect(summarizeClaims([claim(true), claim(false), claim(false)]).line).toBe('2 of 3 cited sentences could not be matched to their sources.');
    expect(summarizeClaims([claim(true), claim(true)]).line).toBe('All 2 cited sentences matched their sources.');
    expect(summarizeClaims([claim(true)]).line).toBe('The cited sentence matched its sources.');
  });
});
