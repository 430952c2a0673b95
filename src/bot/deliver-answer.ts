import type { AnswerOptions, AnswerResult } from '../answer/answer-types.js';
import type { ModelQueueStatus } from '../app/paperbot.js';
import type { BotContext } from './bot-context.js';
import { createEditThrottle } from './edit-throttle.js';
import { recordShownAnswer } from './feedback-store.js';
import { formatAnswer, formatQueuePosition, formatStreamingPreview, type BotMessagePayload } from './format-answer.js';

/** Where an answer goes: the first (visible) message is edited in place, more messages follow it. */
export interface AnswerTarget<M = unknown> {
  edit(payload: BotMessagePayload): Promise<M>;
  followUp(payload: BotMessagePayload): Promise<unknown>;
}

export interface DeliveredAnswer<M> {
  result: AnswerResult;
  answerId: string;
  /** The first message as returned by the final edit. */
  firstMessage: M;
}

/** Place in line when every model slot is busy, else 0. */
export function queuePosition(status: ModelQueueStatus): number {
  return status.running >= status.concurrency ? status.waiting + 1 : 0;
}

/**
 * Run a model-backed request and show it: "busy — number N in line" when the model queue is full,
 * streamed text edited in at most once per interval, then the final answer with sources and
 * feedback buttons (split over several messages when long). Logs token usage.
 */
export async function deliverAnswer<M>(options: {
  ctx: BotContext;
  target: AnswerTarget<M>;
  title: string;
  /** The question as stored with feedback. */
  question: string;
  run: (answerOptions: AnswerOptions) => Promise<AnswerResult>;
  userId?: string;
  channelId?: string;
  note?: string;
  /** Called with the result before it is shown (e.g. to remember thread turns before the user can reply). */
  onAnswer?: (result: AnswerResult) => void;
}): Promise<DeliveredAnswer<M>> {
  const { ctx, target } = options;
  // Retrieval is CPU-bound: take turns, so a burst of commands still gets every acknowledgement out fast.
  await ctx.turns.next();
  const throttle = createEditThrottle({
    intervalMs: ctx.streamEditIntervalMs,
    clock: ctx.clock,
    edit: (text) => target.edit(formatStreamingPreview(options.title, text)),
    onError: (error) => ctx.logger.warn({ err: error, event: 'stream-edit-failed' }, 'a streaming edit failed'),
  });
  if (ctx.paperbot.llmEnabled) {
    const position = queuePosition(ctx.paperbot.modelQueue());
    if (position > 0) await throttle.edit(() => target.edit(formatQueuePosition(position)));
  }
  let streamed = '';
  const started = ctx.clock.now();
  let result: AnswerResult;
  try {
    result = await options.run({
      onToken: (delta) => {
        streamed += delta;
        throttle.push(streamed);
      },
    });
  } catch (error) {
    await throttle.close();
    throw error;
  }
  options.onAnswer?.(result);
  const answerId = recordShownAnswer(
    ctx.db,
    { question: options.question, answer: result.answer, sources: result.sources, mode: result.mode, userId: options.userId, channelId: options.channelId },
    ctx.clock.now(),
  );
  const payloads = formatAnswer(result, { title: options.title, answerId, note: options.note });
  const [first, ...rest] = payloads;
  const firstMessage = await throttle.finish(() => target.edit(first as BotMessagePayload));
  for (const payload of rest) await target.followUp(payload);
  ctx.logger.info(
    {
      event: 'answer',
      answerId,
      mode: result.mode,
      refused: result.refused,
      sources: result.sources.length,
      usage: result.usage,
      streamedEdits: throttle.edits,
      messages: payloads.length,
      ms: ctx.clock.now() - started,
    },
    'answered',
  );
  return { result, answerId, firstMessage };
}
