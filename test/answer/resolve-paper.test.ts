import { describe, expect, it } from 'vitest';
import { AmbiguousPaperError, PaperResolver, resolvePaper, suggestPapers } from '../../src/answer/resolve-paper.js';
import { UserFacingError } from '../../src/errors.js';
import { corpusPapers, makePaper, paperTitled } from './answer-fakes.js';

const L2P = 'Learning to Prompt for Continual Learning';
const DUAL = 'DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning';
const VIDEOMAE = 'VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking';
const SPEECHGPT = 'SpeechGPT: Empowering Large Language Models with Intrinsic Cross-Modal Conversational Abilities';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('PaperResolver.resolve (bundled corpus)', () => {
  const resolver = new PaperResolver(corpusPapers());

  it.each([
    ['its id', () => paperTitled(DUAL).id, DUAL],
    ['the exact title', () => L2P, L2P],
    ['a differently-cased, punctuated title', () => 'videomae v2 - scaling video masked autoencoders with dual masking', VIDEOMAE],
    ['a title with typos', () => 'Learning to Promt for Continual Learnin', L2P],
    ['an acronym defined in the abstract', () => 'L2P', L2P],
    ['the name before the colon', () => 'DualPrompt', DUAL],
    ['a nickname with filler words', () => 'the VideoMAE v2 paper', VIDEOMAE],
    ['a nickname', () => 'SpeechGPT', SPEECHGPT],
    ['the start of a title', () => 'learning to prompt', L2P],
  ])('finds a paper by %s', (_label, input, title) => {
    expect(resolver.resolve(input()).title).toBe(title);
  });

  it('throws AmbiguousPaperError listing candidates for a vague name', () => {
    const error = thrown(() => resolver.resolve('continual learning'));
    expect(error).toBeInstanceOf(AmbiguousPaperError);
    expect(error).toBeInstanceOf(UserFacingError);
    const ambiguous = error as AmbiguousPaperError;
    expect(ambiguous.code).toBe('ambiguous-paper');
    expect(ambiguous.candidates.length).toBeGreaterThan(1);
    for (const c of ambiguous.candidates) {
      expect(c.title.toLowerCase()).toContain('continual');
      expect(ambiguous.message).toContain(c.title);
    }
  });

  it.each(['RLHF', 'diffusion', 'prompt tuning', 'survey', 'the RLHF paper'])(
    'reports %j, a word or phrase in several titles, as ambiguous (listing those titles)',
    (input) => {
      const error = thrown(() => resolver.resolve(input));
      expect(error).toBeInstanceOf(AmbiguousPaperError);
      const ambiguous = error as AmbiguousPaperError;
      const phrase = new RegExp(`\\b${input.replace(/^the | paper$/g, '')}\\b`, 'i');
      const titled = corpusPapers().filter((p) => phrase.test(p.title));
      expect(titled.length).toBeGreaterThan(1);
      expect(ambiguous.candidates.length).toBe(Math.min(8, titled.length));
      for (const c of ambiguous.candidates) expect(c.title).toMatch(phrase);
      expect(ambiguous.message).toContain(`matches ${titled.length} papers`);
    },
  );

  it.each([
    ['CLAW', 'Continual Learning with Adaptive Weights (CLAW)'],
    ['DualPrompt', DUAL],
    ['L2P', L2P],
    ['SpeechGPT', SPEECHGPT],
    ['the VideoMAE v2 paper', VIDEOMAE],
  ])('still resolves the distinctive name %j to one paper', (input, title) => {
    expect(resolver.resolve(input).title).toBe(title);
  });

  it('throws unknown-paper naming the input, with closest suggestions', () => {
    const error = thrown(() => resolver.resolve('Quantum chromodynamics on the lattice')) as UserFacingError;
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).not.toBeInstanceOf(AmbiguousPaperError);
    expect(error.code).toBe('unknown-paper');
    expect(error.message).toContain('"Quantum chromodynamics on the lattice"');
    const described = thrown(() => resolver.resolve('video masked pretraining at scale')) as UserFacingError;
    expect(described.code).toBe('unknown-paper');
    expect(described.message).toContain(`Closest titles: "${VIDEOMAE}"`);
  });

  it('rejects an empty name', () => {
    expect((thrown(() => resolver.resolve('   ')) as UserFacingError).code).toBe('empty-input');
  });
});

describe('resolvePaper (small lists)', () => {
  it('does not treat a common acronym as a nickname when several papers define it', () => {
    const papers = [
      makePaper('Alpha: A Study', 'Large language models (LLMs) are studied here.'),
      makePaper('Beta: Another Study', 'We evaluate large language models (LLMs) again.'),
    ];
    expect(thrown(() => resolvePaper(papers, 'LLMs'))).toBeInstanceOf(UserFacingError);
    expect(resolvePaper(papers, 'Beta').title).toBe('Beta: Another Study');
  });

  it('reports duplicate titles as ambiguous', () => {
    const papers = [makePaper('Same Title', 'one'), { ...makePaper('Same Title', 'two'), id: 'same-title-2' }];
    const error = thrown(() => resolvePaper(papers, 'same title')) as AmbiguousPaperError;
    expect(error).toBeInstanceOf(AmbiguousPaperError);
    expect(error.candidates.map((c) => c.id)).toEqual(['same-title', 'same-title-2']);
  });
});

describe('suggestPapers', () => {
  const papers = corpusPapers();
  it('returns the first papers for empty input', () => {
    expect(suggestPapers(papers, '', 5)).toEqual(papers.slice(0, 5));
  });
  it('puts nickname and prefix matches first, then fuzzy ones, within the limit', () => {
    const out = suggestPapers(papers, 'dualprompt', 10);
    expect(out[0]!.title).toBe(DUAL);
    expect(out.length).toBeLessThanOrEqual(10);
    const prompts = suggestPapers(papers, 'prompt', 25);
    expect(prompts.length).toBeGreaterThan(5);
    expect(prompts.length).toBeLessThanOrEqual(25);
    expect(prompts.slice(0, 5).every((p) => p.title.toLowerCase().includes('prompt'))).toBe(true);
    expect(new Set(prompts.map((p) => p.id)).size).toBe(prompts.length);
  });
});
