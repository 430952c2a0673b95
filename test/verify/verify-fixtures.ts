import type { ClaimSource } from '../../src/verify/claim-types.js';

/** Two short numbered sources (a real paper's statements, shortened) for claim-check tests. */
export const TWO_SOURCES: ClaimSource[] = [
  {
    n: 1,
    paper: {
      title: 'VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking',
      abstract: 'We present a dual masking strategy for efficient pre-training. The video ViT achieves 90.0% on K400 and 89.9% on K600.',
    },
  },
  {
    n: 2,
    paper: {
      title: 'Learning to Prompt for Continual Learning',
      abstract: 'Our method learns to dynamically prompt (L2P) a pre-trained model. Prompts are small learnable parameters kept in a memory space.',
    },
  },
];
