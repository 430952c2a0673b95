import type { Paperbot } from '../app/paperbot.js';
import { evaluateRetrieval } from '../eval/evaluate-retrieval.js';
import { loadEvalQuestions } from '../eval/load-eval-questions.js';

/** `paperbot eval`: retrieval metrics on a question set, as a table or JSON. */
export async function runEval(bot: Paperbot, file: string, options: { json: boolean; verbose: boolean; out: (text: string) => void }): Promise<void> {
  const questions = await loadEvalQuestions(file);
  const metrics = await evaluateRetrieval(bot, questions, await bot.papers());
  if (options.json) {
    const { perQuestion, ...summary } = metrics;
    options.out(JSON.stringify(options.verbose ? metrics : { file, ...summary, perQuestion: undefined }));
    void perQuestion;
    return;
  }
  const pct = (x: number) => x.toFixed(3);
  options.out(
    [
      `${metrics.count} questions from ${file}`,
      `R@1   ${pct(metrics.r1)}`,
      `R@5   ${pct(metrics.r5)}`,
      `R@10  ${pct(metrics.r10)}`,
      `MRR   ${pct(metrics.mrr)}`,
      `all expected in top 10  ${pct(metrics.allInTop10)}`,
    ].join('\n'),
  );
  if (options.verbose) {
    for (const q of metrics.perQuestion) {
      if (q.firstRank !== 1) options.out(`  rank ${q.firstRank ?? '>10'}: ${q.question}`);
    }
  }
}
