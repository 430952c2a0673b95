import { normalizeTitle } from '../corpus/normalize-title.js';
import type { PaperEntry } from '../corpus/paper.js';
import type { PaperSearcher } from '../retrieval/search-types.js';
import type { EvalQuestion } from './load-eval-questions.js';

export { normalizeTitle };

export interface QuestionResult {
  id: string;
  kind: string;
  question: string;
  /** 1-based rank of each expected paper in the top `depth` hits (null = not found). */
  ranks: (number | null)[];
  /** Rank of the first expected paper found (null = none). */
  firstRank: number | null;
  /** The response's `relevant` flag. */
  relevant: boolean;
  /** Titles of the top 5 hits. */
  top: string[];
}

export interface RetrievalEvaluation {
  count: number;
  /** Share of questions with at least one expected paper at rank ≤ 1 / 5 / 10. */
  r1: number;
  r5: number;
  r10: number;
  /** Mean reciprocal rank of the first expected paper. */
  mrr: number;
  /** Share of questions with every expected paper in the top 10. */
  allInTop10: number;
  /** Mean over questions of the share of their expected papers in the top 10 (recall@10). */
  recall10: number;
  perQuestion: QuestionResult[];
}


/**
 * Run every question through the searcher (k = `depth`, default 10) and score it. Throws when an
 * expected title matches no paper (a broken question, not a retrieval miss).
 */
export async function evaluateRetrieval(
  searcher: PaperSearcher,
  questions: readonly EvalQuestion[],
  papers: readonly PaperEntry[],
  options: { depth?: number; diverse?: boolean } = {},
): Promise<RetrievalEvaluation> {
  const depth = Math.max(options.depth ?? 10, 10);
  const idByTitle = new Map<string, string>();
  for (const p of papers) idByTitle.set(normalizeTitle(p.title), p.id);
  const perQuestion: QuestionResult[] = [];
  for (const q of questions) {
    const expectedIds = q.expected.map((title) => {
      const id = idByTitle.get(normalizeTitle(title));
      if (!id) throw new Error(`question ${q.id}: expected title not in the corpus: ${JSON.stringify(title)}`);
      return id;
    });
    const response = await searcher.search(q.question, { k: depth, diverse: options.diverse ?? false });
    const hitIds = response.hits.map((h) => h.paper.id);
    const ranks = expectedIds.map((id) => {
      const i = hitIds.indexOf(id);
      return i < 0 ? null : i + 1;
    });
    const found = ranks.filter((r): r is number => r !== null);
    perQuestion.push({
      id: q.id,
      kind: q.kind,
      question: q.question,
      ranks,
      firstRank: found.length ? Math.min(...found) : null,
      relevant: response.relevant,
      top: response.hits.slice(0, 5).map((h) => h.paper.title),
    });
  }
  const count = perQuestion.length;
  const share = (pred: (r: QuestionResult) => boolean) => (count ? perQuestion.filter(pred).length / count : 0);
  const within = (k: number) => share((r) => r.firstRank !== null && r.firstRank <= k);
  return {
    count,
    r1: within(1),
    r5: within(5),
    r10: within(10),
    mrr: count ? perQuestion.reduce((s, r) => s + (r.firstRank ? 1 / r.firstRank : 0), 0) / count : 0,
    allInTop10: share((r) => r.ranks.every((x) => x !== null && x <= 10)),
    recall10: count ? perQuestion.reduce((s, r) => s + r.ranks.filter((x) => x !== null && x <= 10).length / r.ranks.length, 0) / count : 0,
    perQuestion,
  };
}
