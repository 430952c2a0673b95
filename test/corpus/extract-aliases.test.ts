import { describe, expect, it } from 'vitest';
import { aliasKey, assignDistinctAliases, extractAbbreviations, extractNameCandidates, extractAliases, isCoinedName, matchLongForm, withDistinctAliases } from '../../src/corpus/extract-aliases.js';

const paper = (abstract: string, title = 'A Study of Something') => ({ title, abstract });

describe('extractAliases', () => {
  it.each([
    ['we propose Learning@home: a novel neural network training paradigm', 'Learning@home'],
    ['For reinforcement learning, we propose the CLaMP-DPO method, which further enhances quality.', 'CLaMP-DPO'],
    ['We introduce SAMI, a method for teaching a pretrained LM to follow principles.', 'SAMI'],
    ['In this paper, we propose Diana: a dynamic architecture-based lifelong learning model.', 'Diana'],
    ['We propose a new framework, SCoLe (Scaling Continual Learning), to investigate forgetting.', 'SCoLe'],
    ['This paper proposes Utility-based Perturbed Gradient Descent (UPGD), an online learning algorithm.', 'UPGD'],
    ['Therefore, we propose a novel method, Learning-to-Modulate (L2M), that avoids degradation.', 'L2M'],
    ['Our approach, Warm-start RL (WSRL), mitigates forgetting.', 'WSRL'],
    ['To this end, we introduce a new approach called AdaTape, which allows dynamic computation.', 'AdaTape'],
    ['We present {OpenPrompt}, a unified easy-to-use toolkit.', 'OpenPrompt'],
  ])('finds the name in %j', (abstract, name) => {
    expect(extractAliases(paper(abstract))).toContain(name);
  });

  it('finds a coined word the abstract uses twice, not one it uses once', () => {
    expect(extractAliases(paper('Our HyperCRL model is fast. Experiments show HyperCRL learns well, unlike MinorDPO.'))).toEqual(['HyperCRL']);
  });

  it('takes a coined name from the title head, not a plain phrase', () => {
    expect(extractAliases(paper('Nothing here.', 'VIMA: General Robot Manipulation with Multimodal Prompts'))).toEqual(['VIMA']);
    expect(extractAliases(paper('Nothing here.', 'Lean and Mean: Decoupled Value Policy Optimization'))).toEqual([]);
  });

  it.each([
    'Large language models (LLMs) are studied here.',
    'We propose Several improvements to Class-Incremental training.',
    'We study continual learning. Results are strong. Training is fast.',
    'we propose a simple yet effective regularization method for fine-tuning',
  ])('finds no name in %j', (abstract) => {
    expect(extractAliases(paper(abstract))).toEqual([]);
  });

  it('lists each name once (spellings that differ only in case or punctuation count as one)', () => {
    expect(extractAliases(paper('We propose GPT-in-the-Loop. GPT-in-the-loop helps. GPT-in-the-loop wins.', 'GPT-in-the-Loop: Agents'))).toEqual(['GPT-in-the-Loop']);
  });
});

describe('abbreviations', () => {
  it('pairs short and long forms in both orders', () => {
    expect(extractAbbreviations('We present Progressive Learning without Forgetting (PLwF) and SCoLe (Scaling Continual Learning).')).toEqual([
      { short: 'PLwF', long: 'Progressive Learning without Forgetting' },
      { short: 'SCoLe', long: 'Scaling Continual Learning' },
    ]);
  });

  it('reads a plural definition as the acronym, marked plural (a term of the field, not a name)', () => {
    expect(extractAbbreviations('Large language models (LLMs) are studied.')).toEqual([{ short: 'LLM', long: 'Large language models', plural: true }]);
    expect(extractAliases(paper('Large language models (LLMs) are studied.'))).toEqual([]);
  });

  it('does not pair letters the words before do not spell, or across a sentence break', () => {
    expect(extractAbbreviations('We train a big model (XYZ) on data.')).toEqual([]);
    expect(extractAbbreviations('Results on Dual Masking. (DM) follows.')).toEqual([]);
  });

  it('matchLongForm: the first letter must start the long form; digits are skipped', () => {
    expect(matchLongForm('L2M', 'a novel method, Learning-to-Modulate')).toBe('Learning-to-Modulate');
    expect(matchLongForm('RL', 'uses reinforcement learning')).toBe('reinforcement learning');
    expect(matchLongForm('QZ', 'uses reinforcement learning')).toBeUndefined();
  });
});

describe('isCoinedName and aliasKey', () => {
  it.each([['DualPrompt', true], ['SAMI', true], ['L2P', true], ['Vision-R1', true], ['Learning@home', true], ['LLMs', false], ['Class-Incremental', false], ['Diana', false], ['7', false]])(
    '%j → %s',
    (token, coined) => {
      expect(isCoinedName(token)).toBe(coined);
    },
  );

  it('aliasKey folds case, accents and punctuation', () => {
    expect(aliasKey('CLaMP-DPO')).toBe(aliasKey('clamp dpo'));
    expect(aliasKey('TÜLU 3')).toBe('tulu3');
  });
});

describe('withDistinctAliases', () => {
  it('keeps names one paper introduces; drops names several introduce and coined words several mention', () => {
    const papers = [
      paper('We use reinforcement learning (RL). Our approach, Warm-start RL (WSRL), is new. HyperCRL beats HyperCRL.', 'One'),
      paper('Deep reinforcement learning (RL) is studied. We compare with WSRL and HyperCRL.', 'Two'),
    ];
    const mentions = (name: string) => (name === 'HyperCRL' ? 2 : 1);
    const [one, two] = withDistinctAliases(papers, mentions);
    expect(one!.aliases).toEqual(['WSRL']);
    expect(two!.aliases).toEqual([]);
    expect(one!.title).toBe('One');
    expect(papers[0]).not.toHaveProperty('aliases');
    expect(withDistinctAliases(papers, () => 1)[0]!.aliases).toEqual(['WSRL', 'HyperCRL']);
  });

  it("uses a paper's name candidates when given (as stored at ingest), extracting the others", () => {
    const papers = [paper('Our approach, Warm-start RL (WSRL), is new.', 'One'), paper('We propose BOSS, a planner.', 'Two')];
    const kept = [{ defined: ['Kept'], coined: [], acronyms: [] }, undefined];
    expect(withDistinctAliases(papers, () => 1, kept).map((p) => p.aliases)).toEqual([['Kept'], ['BOSS']]);
    expect(withDistinctAliases(papers, () => 1, papers.map(extractNameCandidates))).toEqual(withDistinctAliases(papers, () => 1));
  });

  it('assignDistinctAliases sets the same names in place (a store\'s own objects), with the acronyms its abstract puts in parentheses', () => {
    const papers = [
      paper('We use reinforcement learning (RL). Our approach, Warm-start RL (WSRL), is new. We compare with (GPT-4).', 'One'),
      paper('Deep reinforcement learning (RL) is studied. We compare with WSRL.', 'Two'),
    ];
    const copies = withDistinctAliases(papers, () => 1);
    const own: (typeof papers[number] & { aliases?: string[]; acronyms?: string[] })[] = papers.map((p) => ({ ...p }));
    assignDistinctAliases(own, papers.map(extractNameCandidates), () => 1);
    expect(own).toEqual(copies);
    expect(own[0]).toMatchObject({ aliases: ['WSRL'], acronyms: ['RL', 'WSRL', 'GPT-4'] });
    expect(own[1]).toMatchObject({ aliases: [], acronyms: ['RL'] });
  });
});
