import PQueue from 'p-queue';
import type { ChatModel } from './chat-model.js';

export interface ModelQueueStatus {
  /** Calls running now. */
  running: number;
  /** Calls waiting for a slot. */
  waiting: number;
  /** The cap on concurrent calls. */
  concurrency: number;
}

/** One shared cap on concurrent model calls (chat completions), with a FIFO line for the rest. */
export interface ModelQueue {
  /** Run `task` when a slot is free; aborting `signal` takes a waiting task out of the line (rejecting with its reason). */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  status(): ModelQueueStatus;
  /** Resolves when nothing is running or waiting. */
  onIdle(): Promise<void>;
}

export function createModelQueue(concurrency: number): ModelQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`model concurrency must be a positive integer (got ${concurrency})`);
  const queue = new PQueue({ concurrency });
  return {
    run: (task, signal) => queue.add(task, signal ? { signal } : {}),
    status: () => ({ running: queue.pending, waiting: queue.size, concurrency }),
    onIdle: () => queue.onIdle(),
  };
}

/** A ChatModel whose every `complete()` call goes through `queue`; aborting `options.signal` also takes it out of the line. */
export function queuedChatModel(model: ChatModel, queue: ModelQueue): ChatModel {
  return {
    id: model.id,
    complete: (messages, options = {}) => queue.run(() => model.complete(messages, options), options.signal),
  };
}
