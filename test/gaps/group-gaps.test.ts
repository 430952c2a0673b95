import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupGaps, OTHER_TOPIC } from '../../src/gaps/group-gaps.js';
import type { CoverageGap } from '../../src/state/gap-store.js';
import { PROJECT_DIR } from '../support/run-cli.js';

const fixture = readFileSync(path.join(PROJECT_DIR, 'test', 'fixtures', 'gaps', 'gap-questions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line, i) => {
    const { user, question } = JSON.parse(line) as { user: string; question: string };
    return { question, askedAt: 1_000 + i, guildId: 'g', userHash: `hash-${user}`, reason: 'refused', command: 'ask' } satisfies CoverageGap;
  });

describe('groupGaps', () => {
  it('groups a fixture of questions into the most-asked missing topics, with counts, askers and newest examples', () => {
    const topics = groupGaps(fixture);
    expect(topics.map((t) => [t.topic, t.count, t.askers])).toEqual([
      ['protein folding', 4, 3],
      ['traffic forecasting', 3, 2],
      [OTHER_TOPIC, 3, 2],
    ]);
    expect(topics[0]!.examples).toEqual([
      'Is there work on protein folding and AlphaFold-style structure prediction?',
      'protein folding benchmarks for structure prediction',
      'Any papers on protein folding?',
    ]);
    expect(topics[0]!.lastAskedAt).toBe(1_003);
    expect(topics.at(-1)!.examples).toContain('best sourdough bread recipe');
  });

  it('is deterministic, caps the examples, and handles nothing at all', () => {
    expect(groupGaps([...fixture].reverse())).toEqual(groupGaps(fixture));
    expect(groupGaps(fixture, { examples: 1 })[0]!.examples).toHaveLength(1);
    expect(groupGaps([])).toEqual([]);
  });
});
