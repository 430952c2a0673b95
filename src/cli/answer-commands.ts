import type { Command } from 'commander';
import type { AnswerOptions, AnswerResult } from '../answer/answer-types.js';
import type { CliContext } from './cli-io.js';
import { answerToJson } from './format-output.js';
import { openCliPaperbot } from './open-cli-paperbot.js';
import { printAnswer } from './print-answer.js';
import { runChat } from './run-chat.js';

type Produce = (onToken: AnswerOptions['onToken']) => Promise<AnswerResult>;

/** Log levels at which the CLI's logger shows the model failure itself. */
const SHOWS_WARNINGS = new Set(['warn', 'debug', 'trace']);

/**
 * Print an answer: JSON, or text streamed as it arrives when a model is configured. When the model
 * failed, the answer's notice says so in short; where to find the details goes to stderr.
 */
async function showAnswer(ctx: CliContext, json: boolean, produce: Produce): Promise<void> {
  let result: AnswerResult;
  if (json) {
    result = await produce(undefined);
    ctx.out(JSON.stringify(answerToJson(result)));
  } else {
    result = await printAnswer(ctx.io.stdout, produce, { stream: ctx.config.model.enabled });
  }
  const modelFailed = ctx.config.model.enabled && result.mode === 'extractive' && !result.refused;
  if (modelFailed && !SHOWS_WARNINGS.has(ctx.config.logLevel)) ctx.err('paperbot: the language model call failed; run with LOG_LEVEL=warn to see why.');
}

/** `paperbot ask | compare | summarize | chat`: the commands that answer with cited sources. */
export function addAnswerCommands(program: Command, ctx: CliContext): void {
  program
    .command('ask')
    .description('Ask a question; the answer cites its sources [1], [2].')
    .argument('<question...>', 'your question')
    .option('--json', 'print {"answer","sources":[{"n","id","title","url"}],"mode","refused","usage","claims":[{"text","citations","supported","score","evidence"}]}')
    .action(async (questionWords: string[], flags: { json?: boolean }) => {
      const bot = await openCliPaperbot(ctx);
      await showAnswer(ctx, flags.json ?? false, (onToken) => bot.ask(questionWords.join(' '), { onToken }));
    });

  program
    .command('compare')
    .description('Compare two papers (id, title, acronym or nickname).')
    .argument('<paperA>', 'first paper')
    .argument('<paperB>', 'second paper')
    .option('--json', 'print the answer as JSON')
    .action(async (a: string, b: string, flags: { json?: boolean }) => {
      const bot = await openCliPaperbot(ctx);
      await showAnswer(ctx, flags.json ?? false, (onToken) => bot.compare(a, b, { onToken }));
    });

  program
    .command('summarize')
    .description('Summarize what the corpus says on a topic, grouped into themes.')
    .argument('<topic...>', 'the topic')
    .option('--json', 'print the answer as JSON')
    .action(async (topicWords: string[], flags: { json?: boolean }) => {
      const bot = await openCliPaperbot(ctx);
      await showAnswer(ctx, flags.json ?? false, (onToken) => bot.summarize(topicWords.join(' '), { onToken }));
    });

  program
    .command('chat')
    .description('An interactive session with follow-up questions (/reset, /sources, Ctrl-D to leave).')
    .action(async () => {
      const bot = await openCliPaperbot(ctx);
      await runChat(bot, { input: ctx.io.stdin, output: ctx.io.stdout });
    });
}
