import { describe, expect, it } from 'vitest';
import { discoverTopics } from '../../src/bot/digest/discover-topics.js';
import { fakePaper } from '../support/fake-paperbot.js';
import { loadTestCorpus } from '../support/load-test-corpus.js';

describe('discoverTopics', () => {
  it('picks frequent title phrases, most frequent first, deterministically', () => {
    const papers = [
      fakePaper('1', 'Diffusion Transformers for Video'),
      fakePaper('2', 'Scaling Diffusion Transformers'),
      fakePaper('3', 'Diffusion Transformers Are Fast'),
      fakePaper('4', 'Reinforcement Learning from Human Feedback'),
      fakePaper('5', 'Reinforcement Learning for Robots'),
      fakePaper('6', 'Offline Reinforcement Learning'),
      fakePaper('7', 'Video Generation at Scale'),
    ];
    const topics = discoverTopics(papers, 5, 3);
    expect(topics[0]).toBe('diffusion transformers');
    expect(topics).toContain('reinforcement learning');
    expect(discoverTopics(papers, 5, 3)).toEqual(topics);
  });

  it('finds several distinct topics in the bundled corpus', () => {
    const topics = discoverTopics(loadTestCorpus(), 8);
    expect(topics).toHaveLength(8);
    expect(new Set(topics).size).toBe(8);
    for (const topic of topics) expect(topic).toMatch(/^[\p{L}\p{N}' -]+$/u);
  });

  it('returns nothing for an empty corpus', () => {
    expect(discoverTopics([], 8)).toEqual([]);
  });
});
