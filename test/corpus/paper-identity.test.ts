import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { paperId } from '../../src/corpus/paper-identity.js';
import { parseTrendingText } from '../../src/corpus/parse-trending-text.js';

const bundled = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'corpus', 'hf-trending-papers.txt');

describe('paper ids of the bundled corpus', () => {
  const { papers } = parseTrendingText(readFileSync(bundled, 'utf8'), 'hf-trending-papers.txt');

  it('stay exactly as they were (ids are stored in indexes, digests and feedback)', () => {
    const idOf = (title: string) => papers.find((p) => p.title === title)?.id;
    expect(idOf('VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking')).toBe('videomae-v2-scaling-video-masked-9ecaf13c');
    expect(idOf('TÜLU 3: Pushing Frontiers in Open Language Model Post-Training')).toBe('tulu-3-pushing-frontiers-in-021b91d4');
    expect(idOf('DεpS: Delayed ε-Shrinking for Faster Once-For-All Training')).toBe('dps-delayed-shrinking-for-faster-b71e538e');
    expect(idOf('PATIENT-Ψ: Using Large Language Models to Simulate Patients for Training Mental Health Professionals')).toBe(
      'patient-using-large-language-models-7d62c4ca',
    );
    expect(idOf('ERNIE-Tiny : A Progressive Distillation Framework for Pretrained Transformer Compression')).toBe('ernie-tiny-a-progressive-distillation-0f9c3ff8');
    // All 252 ids, in corpus order.
    const digest = createHash('sha256').update(papers.map((p) => p.id).join('\n')).digest('hex');
    expect(digest).toBe('c9cdfd3fb6879b087de90531b6f3f9ec8fc3c38cd0b3dd7d584ac110f086bb87');
  });

  it('ignore case, spacing and punctuation of the title, but not its accents', () => {
    expect(paperId('tulu 3: pushing  frontiers in open language model post training')).not.toBe('tulu-3-pushing-frontiers-in-021b91d4');
    expect(paperId('TÜLU 3 - pushing frontiers in open language model post training')).toBe('tulu-3-pushing-frontiers-in-021b91d4');
  });
});
