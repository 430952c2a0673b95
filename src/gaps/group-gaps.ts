import type { CoverageGap } from '../state/gap-store.js';
import { GENERIC_TITLE_WORDS, frequentPhrases } from '../text/frequent-phrases.js';
import { words } from '../text/tokenize.js';

/** Question words and research chatter that never name a missing topic. */
const GENERIC_QUESTION_WORDS: ReadonlySet<string> = new Set([
  ...GENERIC_TITLE_WORDS,
  ...`what which how does work works paper papers explain about there any best good use used compare difference between
      tell know anything find show give recent latest state art sota research results result`.split(/\s+/),
]);

/** One missing topic: how many questions, from how many people, with examples (newest first). */
export interface GapTopic {
  topic: string;
  count: number;
  askers: number;
  examples: string[];
  lastAskedAt: number;
}

/** Where unmatched questions go. */
export const OTHER_TOPIC = '(other)';

/**
 * Group gap questions into topics: the phrases most frequent across the questions (the digest's
 * topic discovery, `frequentPhrases`, over question text); each question joins the first topic all
 * of whose words it contains; the rest are `(other)`. Most-asked first (ties: newest, then name).
 */
export function groupGaps(gaps: readonly CoverageGap[], options: { maxTopics?: number; examples?: number } = {}): GapTopic[] {
  const maxTopics = options.maxTopics ?? 10;
  const phrases = frequentPhrases(
    gaps.map((gap) => gap.question),
    { count: maxTopics, minCount: 2, generic: GENERIC_QUESTION_WORDS },
  );
  const groups = new Map<string, CoverageGap[]>();
  for (const gap of gaps) {
    const questionWords = new Set(words(gap.question));
    const topic = phrases.find((phrase) => phrase.split(' ').every((word) => questionWords.has(word))) ?? OTHER_TOPIC;
    groups.set(topic, [...(groups.get(topic) ?? []), gap]);
  }
  const topics = [...groups.entries()].map(([topic, members]): GapTopic => {
    const newestFirst = [...members].sort((a, b) => b.askedAt - a.askedAt);
    const examples = [...new Set(newestFirst.map((gap) => gap.question.replace(/\s+/g, ' ').trim()))].slice(0, options.examples ?? 3);
    return { topic, count: members.length, askers: new Set(members.map((gap) => gap.userHash)).size, examples, lastAskedAt: newestFirst[0]!.askedAt };
  });
  const rank = (t: GapTopic) => (t.topic === OTHER_TOPIC ? 1 : 0);
  return topics.sort((a, b) => rank(a) - rank(b) || b.count - a.count || b.lastAskedAt - a.lastAskedAt || a.topic.localeCompare(b.topic));
}
