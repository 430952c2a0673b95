import { beforeAll, describe, expect, it } from 'vitest';
import type { WordSimilarity } from '../../src/embedding/word-neighbours.js';
import { createOfflineEmbedder } from '../../src/embedding/offline-embedder.js';
import { createOfflineClaimScorer } from '../../src/verify/score-claim.js';

const VIDEOMAE = {
  title: 'VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking',
  abstract:
    'It is still challenging to train video foundation models with billions of parameters. ' +
    'We present a dual masking strategy for efficient pre-training, with an encoder operating on a subset of video tokens and a decoder processing another subset of video tokens. ' +
    'Finally, we train a video ViT model with a billion parameters, which achieves a new state-of-the-art performance on the datasets of Kinetics (90.0% on K400 and 89.9% on K600).',
};
const L2P = {
  title: 'Learning to Prompt for Continual Learning',
  abstract:
    'Our method learns to dynamically prompt (L2P) a pre-trained model to learn tasks sequentially. ' +
    'Prompts are small learnable parameters, which are maintained in a memory space. ' +
    'Surprisingly, L2P achieves competitive results against rehearsal-based methods even without a rehearsal buffer.',
};
const CHARTS = {
  title: 'Beat-Aligned Spectrogram-to-Sequence Generation of Rhythm-Game Charts',
  abstract: 'We train a Transformer using a large dataset. Our model is found to outperform the baselines on a large dataset, and is also found to benefit from pretraining and finetuning.',
};

let wordSimilarity: WordSimilarity;
beforeAll(async () => {
  ({ wordSimilarity } = await createOfflineEmbedder());
});

describe('offline claim scorer', () => {
  it('supports a paraphrase of the abstract and keeps its best sentence as evidence', () => {
    const scorer = createOfflineClaimScorer({ wordSimilarity });
    const r = scorer.scoreClaim('VideoMAE V2 uses dual masking: the encoder sees one subset of the video tokens and the decoder another [1].', [VIDEOMAE]);
    expect(r.supported).toBe(true);
    expect(r.score).toBeGreaterThan(0.7);
    expect(r.evidence).toContain('dual masking strategy');
  });

  it('flags a number the abstract does not state ("86.6% on Kinetics-400" against 90.0%)', () => {
    const scorer = createOfflineClaimScorer({ wordSimilarity });
    const right = scorer.scoreClaim('The billion-parameter ViT reaches 90.0% on Kinetics-400 [1].', [VIDEOMAE]);
    const wrong = scorer.scoreClaim('The billion-parameter ViT reaches 86.6% on Kinetics-400 [1].', [VIDEOMAE]);
    expect(right.supported).toBe(true);
    expect(wrong.supported).toBe(false);
    expect(wrong.missingNumbers).toEqual(['86.6']);
    expect(wrong.score).toBeLessThan(right.score);
  });

  it('flags a method name the cited abstract never mentions', () => {
    const scorer = createOfflineClaimScorer({ wordSimilarity });
    const r = scorer.scoreClaim('PsyDI learns to prompt a pre-trained model with small learnable prompts kept in a memory space.', [L2P]);
    expect(r.supported).toBe(false);
    expect(r.missingNames).toEqual(['psydi']);
    expect(scorer.scoreClaim('L2P learns to prompt a pre-trained model with small learnable prompts kept in a memory space.', [L2P]).supported).toBe(true);
  });

  it('flags a claim that negates what its evidence states', () => {
    const scorer = createOfflineClaimScorer({ wordSimilarity });
    const negated = scorer.scoreClaim('The chart model does not benefit from pretraining and finetuning.', [CHARTS]);
    expect(negated.negationMismatch).toBe(true);
    expect(negated.supported).toBe(false);
    const kept = scorer.scoreClaim('The chart model benefits from pretraining and finetuning.', [CHARTS]);
    expect(kept.negationMismatch).toBe(false);
    expect(kept.supported).toBe(true);
  });

  it('does not call a negation shared with the evidence a mismatch ("without a rehearsal buffer")', () => {
    const r = createOfflineClaimScorer({ wordSimilarity }).scoreClaim('L2P is competitive with rehearsal-based methods without any rehearsal buffer.', [L2P]);
    expect(r.negationMismatch).toBe(false);
    expect(r.supported).toBe(true);
  });

  it('flags a claim cited to the wrong paper', () => {
    const r = createOfflineClaimScorer({ wordSimilarity }).scoreClaim('VideoMAE V2 uses dual masking on the encoder and the decoder [1].', [L2P]);
    expect(r.supported).toBe(false);
    expect(r.score).toBeLessThan(0.3);
  });

  it('judges a claim citing two papers against both', () => {
    const scorer = createOfflineClaimScorer({ wordSimilarity });
    const r = scorer.scoreClaim('L2P keeps small learnable prompts in a memory space [1, 2].', [VIDEOMAE, L2P]);
    expect(r.supported).toBe(true);
    expect(L2P.abstract).toContain(r.evidence);
    expect(scorer.scoreClaim('L2P keeps small learnable prompts in a memory space [1].', [VIDEOMAE]).supported).toBe(false);
  });

  it('works without word vectors (exact stems only), with a score in 0..1', () => {
    const scorer = createOfflineClaimScorer();
    const r = scorer.scoreClaim('A dual masking strategy makes pre-training efficient.', [VIDEOMAE]);
    expect(r.supported).toBe(true);
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThanOrEqual(1);
    expect(scorer.scoreClaim('Prompts are stored in a memory space.', [VIDEOMAE]).supported).toBe(false);
  });

  it('scores an empty claim or a claim with no cited paper as unsupported, without throwing', () => {
    const scorer = createOfflineClaimScorer({ wordSimilarity });
    expect(scorer.scoreClaim('', [L2P])).toMatchObject({ supported: false, score: 0 });
    expect(scorer.scoreClaim('L2P learns prompts.', [])).toMatchObject({ supported: false, score: 0, evidence: '' });
  });

  it('soft-matches a paraphrased word through word vectors', () => {
    const claim = 'Prompts are tiny learnable parameters stored in a memory space.';
    const soft = createOfflineClaimScorer({ wordSimilarity, tuning: { softFloor: 0.5 } }).scoreClaim(claim, [L2P]);
    const exact = createOfflineClaimScorer({ wordSimilarity, tuning: { softFloor: 1 } }).scoreClaim(claim, [L2P]);
    expect(soft.coverage).toBeGreaterThan(exact.coverage);
  });
});
