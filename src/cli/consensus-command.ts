import type { Command } from 'commander';
import { STANCE_LABELS, type ConsensusResult } from '../verify/assess-consensus.js';
import type { CliContext } from './cli-io.js';
import { openCliPaperbot } from './open-cli-paperbot.js';

/** The consensus as terminal text: notice, claim, each paper with its stance and evidence, the synthesis. */
export function formatConsensus(result: ConsensusResult): string {
  const parts: string[] = [];
  if (result.notice) parts.push(`ℹ ${result.notice}`);
  parts.push(`Claim: ${result.claim}`);
  parts.push(
    result.papers
      .map((paper) => {
        const evidence = paper.evidence ? `“${paper.evidence}”` : '(no sentence of its abstract is on this)';
        return `[${paper.n}] ${paper.title} — ${STANCE_LABELS[paper.stance]}\n    ${evidence}\n    ${paper.url}`;
      })
      .join('\n'),
  );
  if (result.synthesis) parts.push(`${result.mode === 'llm' ? 'Synthesis' : 'Summary'}: ${result.synthesis}`);
  if (result.removedCitations) parts.push(`(${result.removedCitations} citation(s) to papers that were not given were removed.)`);
  return parts.join('\n\n');
}

/** `paperbot consensus "<claim>" [--json]`: do the relevant papers agree with a claim? */
export function addConsensusCommand(program: Command, ctx: CliContext): void {
  program
    .command('consensus')
    .description('Do the papers agree? Each relevant paper\'s stance on a claim, with its evidence sentence, and a synthesis.')
    .argument('<claim...>', 'the claim')
    .option('--json', 'print {"claim","mode","papers":[{"n","id","title","url","stance","evidence"}],"synthesis","usage"}')
    .action(async (claimWords: string[], flags: { json?: boolean }) => {
      const bot = await openCliPaperbot(ctx);
      const result = await bot.consensus(claimWords.join(' '));
      ctx.out(flags.json ? JSON.stringify(result) : formatConsensus(result));
    });
}
