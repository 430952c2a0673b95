import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_LIMITS } from '../../src/answer/paper-name-index.js';
import { AmbiguousPaperError, MAX_PAPER_NAME_CHARS, PaperResolver, SUGGEST_INPUT_CHARS, resolvePaper, suggestPapers } from '../../src/answer/resolve-paper.js';
import { UserFacingError } from '../../src/errors.js';
import { syntheticRecords } from '../../scripts/bench-synthetic-corpus.js';
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

describe('bounded lookups (hostile input, large corpora)', () => {
  const VIDEO_PREFIX = 'VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking'.padEnd(SUGGEST_INPUT_CHARS, ' ');

  it(`autocomplete answers from the first ${SUGGEST_INPUT_CHARS} characters of a 6,000-character input`, () => {
    const resolver = new PaperResolver(corpusPapers());
    const expected = resolver.suggest(VIDEO_PREFIX, 25);
    expect(expected[0]!.title).toBe(VIDEOMAE);
    for (const tail of ['continual learning prompts '.repeat(230), 'x'.repeat(6_000 - SUGGEST_INPUT_CHARS)]) {
      expect(resolver.suggest(VIDEO_PREFIX + tail, 25).map((p) => p.id)).toEqual(expected.map((p) => p.id));
    }
  });

  it(`refuses a paper name over ${MAX_PAPER_NAME_CHARS} characters as too long, before matching`, () => {
    const resolver = new PaperResolver(corpusPapers());
    const work = { visits: 0, scored: 0 };
    const error = thrown(() => resolver.resolve(`${L2P} `.repeat(20), work)) as UserFacingError;
    expect(error.code).toBe('too-long');
    expect(error.message).toContain(`${MAX_PAPER_NAME_CHARS}`);
    expect(work).toEqual({ visits: 0, scored: 0 });
    expect(resolver.resolve(L2P.padEnd(MAX_PAPER_NAME_CHARS, ' ')).title).toBe(L2P);
  });

  describe('at 6,500 papers', () => {
    const real = corpusPapers();
    const synthetic = [...syntheticRecords(real, 6_500 - real.length, 7)].map((r, i) => makePaper(`${r.title} ${i}`, r.abstract));
    const papers = [...real, ...synthetic];
    const limits = { ...DEFAULT_MATCH_LIMITS };
    const resolver = new PaperResolver(papers, limits);
    const hostile = [
      ['a 6,000-character autocomplete', 'video masked autoencoders scaling '.repeat(180)],
      ['repeated letters', 'e '.repeat(3_000)],
      ['a long description', 'Scaling video prompt tuning for language models with diffusion and reinforcement learning from human feedback at large scale'],
    ] as const;

    it.each(hostile)('suggest scores at most one stage of candidates for %s', (_label, input) => {
      const work = { visits: 0, scored: 0 };
      expect(resolver.suggest(input, 25, work).length).toBeLessThanOrEqual(25);
      expect(work.scored).toBeGreaterThan(0);
      expect(work.scored).toBeLessThanOrEqual(limits.perStage);
      expect(work.visits).toBeLessThanOrEqual(limits.visits);
    });

    it.each(hostile)('resolve of %s (first 300 characters) stays within the scoring and visit budgets', (_label, input) => {
      const work = { visits: 0, scored: 0 };
      try {
        resolver.resolve(input.slice(0, MAX_PAPER_NAME_CHARS), work);
      } catch (error) {
        expect(error).toBeInstanceOf(UserFacingError);
      }
      expect(work.scored).toBeGreaterThan(0);
      expect(work.scored).toBeLessThanOrEqual(limits.scored);
      expect(work.scored).toBeLessThan(papers.length / 10);
      expect(work.visits).toBeLessThanOrEqual(limits.visits);
    });

    it('a smaller injected budget bounds the work further', () => {
      const small = new PaperResolver(papers, { scored: 10, perStage: 5, visits: 2_000 });
      const work = { visits: 0, scored: 0 };
      small.suggest(hostile[2][1], 25, work);
      expect(work.scored).toBeLessThanOrEqual(5);
      expect(work.visits).toBeLessThanOrEqual(2_000);
    });

    it.each([
      ['the exact title', VIDEOMAE],
      ['a title with typos', 'VideoMAE V2: Scalng Video Masked Autoencoder with Dual Maskin'],
      ['a nickname with filler words', 'the VideoMAE v2 paper'],
    ])('still finds the real paper by %s among the synthetic ones', (_label, input) => {
      expect(resolver.resolve(input).title).toBe(VIDEOMAE);
    });
  });
});
