import type { AnswerOptions, AnswerResult } from '../answer/answer-types.js';
import { formatAnswer, formatAnswerTail } from './format-output.js';

/**
 * Produce an answer and print it to a terminal stream: when a model streams, its text is written as
 * it arrives (after `prefix`) and only the sources follow; otherwise the whole formatted answer is
 * written at once. Extractive fallbacks after a partly streamed reply are printed in full, labelled.
 */
export async function printAnswer(
  output: NodeJS.WritableStream,
  produce: (onToken: AnswerOptions['onToken']) => Promise<AnswerResult>,
  options: { stream: boolean; prefix?: string },
): Promise<AnswerResult> {
  const prefix = options.prefix ?? '';
  const write = (text: string) => output.write(text.endsWith('\n') ? text : `${text}\n`);
  let streamed = false;
  const result = await produce(
    options.stream
      ? (delta) => {
          if (!streamed) output.write(prefix);
          streamed = true;
          output.write(delta);
        }
      : undefined,
  );
  if (streamed) output.write('\n\n');
  if (streamed && result.mode === 'llm') {
    const tail = formatAnswerTail(result, { streamed: true });
    if (tail) write(tail);
  } else {
    write(`${prefix}${formatAnswer(result)}`);
  }
  return result;
}
