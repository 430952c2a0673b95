import type { EvalQuestion } from '../eval/load-eval-questions.js';
import type { ExpectedPaperRow } from '../state/feedback-store.js';

/**
 * 👎 answers with the paper that should have answered, as retrieval eval questions (the `data/eval`
 * format `{id, question, expected: [titles], kind}`): one per answer, every paper its voters chose,
 * oldest first. `paperbot eval --file` replays them.
 */
export function feedbackToEval(rows: readonly ExpectedPaperRow[]): EvalQuestion[] {
  const byAnswer = new Map<string, { question: string; titles: string[] }>();
  for (const row of rows) {
    const question = row.question.replace(/\s+/g, ' ').trim();
    if (!question || !row.title.trim()) continue;
    const entry = byAnswer.get(row.answerId) ?? { question, titles: [] };
    if (!entry.titles.includes(row.title)) entry.titles.push(row.title);
    byAnswer.set(row.answerId, entry);
  }
  return [...byAnswer.entries()].map(([answerId, entry]) => ({ id: `feedback-${answerId}`, question: entry.question, expected: entry.titles, kind: 'feedback' }));
}
