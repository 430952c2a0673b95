import { describe, expect, it } from 'vitest';
import { normalizeTitle } from '../../src/corpus/normalize-title.js';

describe('normalizeTitle', () => {
  it('folds case, accents, compatibility forms, punctuation and spacing', () => {
    expect(normalizeTitle('ERNIE-Tiny : A Progressive  Distillation')).toBe('ernie tiny a progressive distillation');
    expect(normalizeTitle('TÜLU 3: Pushing Frontiers')).toBe('tulu 3 pushing frontiers');
    expect(normalizeTitle('ﬁne-tuning ＬＬＭｓ')).toBe('fine tuning llms');
    expect(normalizeTitle('  “Quoted” — title!  ')).toBe('quoted title');
  });

  it('keeps letters of other scripts, and keeps accents only when asked', () => {
    expect(normalizeTitle('DεpS: Delayed ε-Shrinking')).toBe('dεps delayed ε shrinking');
    expect(normalizeTitle('PATIENT-Ψ')).toBe('patient ψ');
    expect(normalizeTitle('TÜLU 3', { keepAccents: true })).toBe('tülu 3');
    expect(normalizeTitle('TU\u0308LU 3', { keepAccents: true })).toBe('tülu 3');
  });
});
