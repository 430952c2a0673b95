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

export interface ModelQueueHooks {
  /** Called once, synchronously inside `run`, when the task has to wait: `position` is its 1-based place in line. */
  onQueued?(position: number): void;
  /** Aborting removes a waiting task from the line (its promise rejects with the signal's reason). */
  signal?: AbortSignal | undefined;
}

/** One shared cap on concurrent model calls (chat completions), with a FIFO line for the rest. */
export interface ModelQueue {
  run<T>(task: () => Promise<T>, hooks?: ModelQueueHooks): Promise<T>;
  status(): ModelQueueStatus;
  /** Resolves when nothing is running or waiting. */
  onIdle(): Promise<void>;
}

export function createModelQueue(concurrency: number): ModelQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`model concurrency must be a positive integer (got ${concurrency})`);
  const queue = new PQueue({ concurrency });
  return {
    run<T>(task: () => Promise<T>, hooks: ModelQueueHooks = {}): Promise<T> {
      let started = false;
      // p-queue enqueues and starts what it can synchronously inside add().
      const result = queue.add(
        () => {
          started = true;
          return task();
        },
        hooks.signal ? { signal: hooks.signal } : {},
      );
      if (!started && queue.size > 0) hooks.onQueued?.(queue.size);
      return result;
    },
    status: () => ({ running: queue.pending, waiting: queue.size, concurrency }),
    onIdle: () => queue.onIdle(),
  };
}

/**
 * A ChatModel whose every `complete()` call goes through `queue`. When a call has to wait, its
 * `options.onQueued(position)` (and `hooks.onQueued`) is told its place in line; aborting
 * `options.signal` also takes it out of the line.
 */
export function queuedChatModel(model: ChatModel, queue: ModelQueue, hooks: { onQueued?(position: number): void } = {}): ChatModel {
  return {
    id: model.id,
    complete(messages, options = {}) {
      const { onQueued, ...rest } = options;
      return queue.run(() => model.complete(messages, rest), {
        signal: options.signal,
        onQueued(position) {
          hooks.onQueued?.(position);
          onQueued?.(position);
        },
      });
    },
  };
}
