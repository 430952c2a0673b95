import { describe, expect, it } from 'vitest';
import {
  buildIdf,
  extractAnswer,
  extractComparison,
  extractSummary,
  MAX_EXTRACTIVE_ANSWER_CHARS,
  MAX_QUOTED_SENTENCE_CHARS,
} from '../../src/answer/answer-extractively.js';
import { answerQuestion } from '../../src/answer/answer-question.js';
import { makeDeps, makePaper, paperTitled } from './answer-fakes.js';

const DUAL = paperTitled('DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning');
const L2P = paperTitled('Learning to Prompt for Continual Learning');

/** An abstract of `chars` characters without a single full stop (one endless "sentence"). */
function endlessAbstract(chars: number): string {
  const words = ['prompt', 'continual', 'learning', 'rehearsal', 'memory', 'buffer', 'tasks', 'forgetting', 'backbone', 'pool'];
  let out = '';
  for (let i = 0; out.length < chars; i++) out += `${words[i % words.length]} `;
  return out.trim();
}

const DISCORD_MESSAGE_CHARS = 2_000;

describe('offline answers are bounded, whatever the abstracts', () => {
  it('quotes at most MAX_QUOTED_SENTENCE_CHARS of a 55,000-character sentence, cut on a word with an ellipsis', async () => {
    const flood = makePaper('Prompt Pools Without End', endlessAbstract(55_000));
    const deps = await makeDeps([flood, DUAL, L2P]);
    const result = await answerQuestion(deps, 'How do prompt pools help continual learning without a rehearsal buffer?');
    expect(result.mode).toBe('extractive');
    expect(result.answer.length).toBeLessThanOrEqual(MAX_EXTRACTIVE_ANSWER_CHARS);
    expect(result.answer.length).toBeLessThanOrEqual(2 * DISCORD_MESSAGE_CHARS);
    const floodLine = result.answer.split('\n').find((line) => line.startsWith('- prompt continual'));
    expect(floodLine).toBeDefined();
    const quoted = floodLine!.replace(/^- /, '').replace(/ \[\d+\]$/, '');
    expect(quoted.length).toBeLessThanOrEqual(MAX_QUOTED_SENTENCE_CHARS);
    expect(quoted).toMatch(/[a-z]…$/);
    expect(flood.abstract.startsWith(quoted.slice(0, -1))).toBe(true);
  });

  it('keeps an answer from several huge abstracts within the cap, citing only what it shows', () => {
    const papers = Array.from({ length: 4 }, (_, i) => makePaper(`Endless Paper ${i}`, endlessAbstract(200_000)));
    const extract = extractAnswer('prompt continual learning memory', papers, buildIdf(papers));
    expect(extract.answer.length).toBeLessThanOrEqual(MAX_EXTRACTIVE_ANSWER_CHARS);
    for (const { n } of extract.cited) expect(extract.answer).toContain(`[${n}]`);
  });

  it('bounds an offline comparison of papers with huge titles and sentences', () => {
    const a = makePaper(`A ${'very '.repeat(2_000)}long title`, endlessAbstract(30_000));
    const b = makePaper('Short', endlessAbstract(30_000));
    const extract = extractComparison(a, b);
    expect(extract.answer.length).toBeLessThanOrEqual(MAX_EXTRACTIVE_ANSWER_CHARS);
    expect(extract.answer).toContain('[1]');
  });

  it('bounds an offline summary of many papers, listing as sources only the papers it shows', () => {
    const papers = Array.from({ length: 12 }, (_, i) => makePaper(`${'Title '.repeat(60)}${i}`, endlessAbstract(10_000)));
    const extract = extractSummary('prompt continual learning', papers, buildIdf(papers));
    expect(extract.answer.length).toBeLessThanOrEqual(MAX_EXTRACTIVE_ANSWER_CHARS);
    expect(extract.cited.length).toBeGreaterThan(0);
    expect(extract.cited.length).toBeLessThan(12);
    for (const { n } of extract.cited) expect(extract.answer).toContain(`[${n}]`);
  });
});
