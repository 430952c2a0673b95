import { describe, expect, it } from 'vitest';
import { claimTerms, namePartsIn, negativeScopes, numbersIn, polarityClash as clashOf, polaritySide } from '../../src/verify/claim-signals.js';

const polarityClash = (claim: string, evidence: string, minOverlap: number) => clashOf(polaritySide(claim), polaritySide(evidence), minOverlap);

const sorted = (set: Iterable<string>) => [...set].sort();

describe('numbersIn', () => {
  it('reads digits anywhere, thousands separators, decimal commas and spelled-out numbers', () => {
    expect(sorted(numbersIn('90.0% on K400, 3,000 visits, an error of 3,15 percent, 7.5x fewer, ten tasks'))).toEqual(sorted(['90', '400', '3000', '3.15', '7.5', '10']));
  });

  it('treats "one" as a word, not a number', () => {
    expect(numbersIn('one model, two heads')).toEqual(new Set(['2']));
  });
});

describe('namePartsIn', () => {
  it('finds method, model and dataset names as folded stems', () => {
    expect(sorted(namePartsIn('The gain of CoR-Math-7B over GPT-4 on Kinetics-400 and TÜLU 3'))).toEqual(sorted(['cor', 'math', 'gpt', 'kinet', 'tulu']));
  });

  it('ignores a plainly capitalised first word but not a name-like one', () => {
    expect(namePartsIn('Training is faster.')).toEqual(new Set());
    expect(namePartsIn('PsyDI measures traits.')).toEqual(new Set(['psydi']));
    expect(namePartsIn('Auto-Meta finds architectures.')).toEqual(new Set(['meta']));
  });

  it('does not read numbers with units as names', () => {
    expect(namePartsIn('up to 1.43x and 400x faster with 1.3B and 200K samples')).toEqual(new Set());
  });
});

describe('negativeScopes', () => {
  it('gives each negation the words it governs', () => {
    expect(negativeScopes('The model does not benefit from pretraining.').map(sorted)).toEqual([['benefit', 'pretrain']]);
    expect(negativeScopes('Instruction following improves but the ability to reward itself does not.').map(sorted)).toEqual([['abil', 'reward']]);
    expect(negativeScopes('It works in exemplar-free settings.').map(sorted)).toEqual([['exemplar']]);
    expect(negativeScopes('The optimizer stays unchanged.').map(sorted)).toEqual([['chang']]);
  });

  it('ignores "not only … but also" and negations inside capitalised names', () => {
    expect(negativeScopes('It not only improves accuracy but also calibration.')).toEqual([]);
    expect(negativeScopes('Progressive Learning without Forgetting beats them.')).toEqual([]);
  });
});

describe('polarityClash', () => {
  it('is strongest when a claim negates exactly what the evidence states', () => {
    expect(polarityClash('It does not benefit from pretraining.', 'The model is found to benefit from pretraining and finetuning.', 0.5)).toBe(1);
    expect(polarityClash('ProTrain changes the training algorithm.', 'ProTrain does not change the training algorithm.', 0.5)).toBe(1);
  });

  it('is 0 when both sides negate the same thing, or the negation is about something else', () => {
    expect(polarityClash('It needs no rehearsal buffer.', 'It works even without a rehearsal buffer.', 0.5)).toBe(0);
    expect(polarityClash('It improves accuracy without extra cost.', 'It improves accuracy on three benchmarks.', 0.5)).toBe(0);
  });
});

describe('claimTerms', () => {
  it('keeps content words once each, split at hyphens, without numbers or stop words', () => {
    expect(claimTerms('The rehearsal-free method uses 3 prompts and prompts again').map((t) => t.stem)).toEqual(['rehears', 'free', 'method', 'us', 'prompt']);
  });
});
