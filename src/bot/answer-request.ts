import type { AnswerOptions, AnswerResult } from '../answer/answer-types.js';
import type { ModelQueueStatus } from '../app/paperbot.js';
import type { BotContext } from './bot-context.js';
import { createEditThrottle } from './edit-throttle.js';
import { formatAnswer, formatQueuePosition, formatStreamingPreview, type BotMessagePayload } from './format-answer.js';

/** Where an answer goes: the first (visible) message is edited in place, more messages follow it. */
export interface AnswerTarget<M = unknown> {
  edit(payload: BotMessagePayload): Promise<M>;
  followUp(payload: BotMessagePayload): Promise<unknown>;
}

/** One model-backed request, whether a slash command or a message in a bot thread. */
export interface AnswerRequest {
  /** Shown as the answer's title (the question, "A vs B", the topic). */
  title: string;
  /** The request as stored with feedback. */
  question: string;
  userId: string;
  channelId: string;
  /** The server, for the coverage-gap log (null in DMs). */
  guildId?: string | null;
  /** What asked (`ask`, `summarize`, `follow-up`…), for the coverage-gap log. */
  command?: string;
  /** An extra line shown before the answer. */
  note?: string;
  /** Asks the core (ask / compare / summarize), passing the streaming options on. */
  run(options: AnswerOptions): Promise<AnswerResult>;
}

export interface ShownAnswer<M> {
  answerId: string;
  /** The first message as returned by the final edit. */
  firstMessage: M;
}

/** An answer written but not shown yet: record what must exist before users see it, then `show()`. */
export interface WrittenAnswer<M> {
  result: AnswerResult;
  show(): Promise<ShownAnswer<M>>;
}

/** Place in line when every model slot is busy, else 0. */
export function queuePosition(status: ModelQueueStatus): number {
  return status.running >= status.concurrency ? status.waiting + 1 : 0;
}

/**
 * Write an answer into `target`: "busy — number N in line" when the model queue is full, the
 * streamed text edited in as it comes (within the edit budget). `show()` then puts the final answer
 * in place — sources and feedback buttons, over several messages when long — and logs it.
 */
export async function writeAnswer<M>(ctx: BotContext, request: AnswerRequest, target: AnswerTarget<M>): Promise<WrittenAnswer<M>> {
  // Retrieval is CPU-bound: take turns, so a burst of commands still gets every acknowledgement out fast.
  await ctx.turns.next();
  const throttle = createEditThrottle({
    intervalMs: ctx.streamEditIntervalMs,
    clock: ctx.clock,
    edit: (text) => target.edit(formatStreamingPreview(request.title, text)),
    onError: (error) => ctx.logger.warn({ err: error, event: 'stream-edit-failed' }, 'a streaming edit failed'),
  });
  const position = ctx.paperbot.llmEnabled ? queuePosition(ctx.paperbot.modelQueue()) : 0;
  if (position > 0) await throttle.edit(() => target.edit(formatQueuePosition(position)));
  const started = ctx.clock.now();
  let streamed = '';
  let result: AnswerResult;
  try {
    result = await request.run({
      onToken: (delta) => {
        streamed += delta;
        throttle.push(streamed);
      },
    });
  } catch (error) {
    await throttle.close();
    throw error;
  }
  const show = async (): Promise<ShownAnswer<M>> => {
    const shown = { question: request.question, answer: result.answer, sources: result.sources, mode: result.mode, userId: request.userId, channelId: request.channelId, command: request.command ?? 'ask' };
    const answerId = await ctx.feedback.recordShownAnswer(shown, ctx.clock.now());
    await recordGap(ctx, request, result);
    const [first, ...rest] = formatAnswer(result, { title: request.title, answerId, note: request.note });
    const firstMessage = await throttle.finish(() => target.edit(first!));
    for (const payload of rest) await target.followUp(payload);
    const logged = { answerId, mode: result.mode, refused: result.refused, sources: result.sources.length, usage: result.usage };
    ctx.logger.info({ event: 'answer', ...logged, edits: throttle.edits, messages: rest.length + 1, ms: ctx.clock.now() - started }, 'answered');
    return { answerId, firstMessage };
  };
  return { result, show };
}

/** A refused or uncited answer goes to the coverage-gap log; a failure there is logged, never the user's problem. */
async function recordGap(ctx: BotContext, request: AnswerRequest, result: AnswerResult): Promise<void> {
  try {
    const candidate = { question: request.question, userId: request.userId, guildId: request.guildId ?? null, command: request.command ?? 'ask', result };
    if (await ctx.gaps.record(candidate)) ctx.logger.info({ event: 'coverage-gap', command: candidate.command, refused: result.refused }, 'coverage gap recorded');
  } catch (error) {
    ctx.logger.warn({ err: error, event: 'coverage-gap-failed' }, 'could not record a coverage gap');
  }
}
