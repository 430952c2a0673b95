import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../app/logger.js';
import type { Paperbot } from '../app/paperbot.js';
import type { Clock } from './clock.js';
import type { Cooldown } from './cooldown.js';
import type { EventLoopTurns } from './event-loop-turns.js';
import type { PreconditionName } from './preconditions.js';
import type { DigestService } from './digest/digest-service.js';
import type { BotConfig } from './load-bot-config.js';
import type { FeedbackStore } from '../state/feedback-store.js';
import type { GapLog } from '../gaps/gap-log.js';
import type { ThreadStore } from '../state/thread-store.js';
import type { WatchStore } from '../state/watch-store.js';

/** What every command and handler receives: the core plus the bot's own services (no singletons). */
export interface BotContext {
  paperbot: Paperbot;
  /** The bot's configuration (core + Discord + digests); the core itself holds none of it. */
  config: BotConfig;
  threads: ThreadStore;
  feedback: FeedbackStore;
  /** Refused and low-evidence questions (coverage gaps), askers hashed. */
  gaps: GapLog;
  digest: DigestService;
  /** /watch subscriptions. */
  watches: WatchStore;
  cooldown: Cooldown;
  clock: Clock;
  /** Per-interaction child logger (interaction id, command, user) inside handlers. */
  logger: Logger;
  /** Minimum milliseconds between streamed edits of one message. */
  streamEditIntervalMs: number;
  /** Turns on the event loop: answers take one before their retrieval, autocompletes run in short slices. */
  turns: EventLoopTurns;
}

/** One autocomplete suggestion: name ≤ 100 characters, value ≤ 100 characters. */
export interface AutocompleteChoice {
  name: string;
  value: string;
}

/** How the central handler acknowledges a command before running it (within Discord's 3 s). */
export type DeferMode = 'public' | 'ephemeral' | 'none';

/**
 * One slash command (`commands/<name>.ts`). The central handler runs, in order: `parse` (options read
 * and checked once), the `preconditions`, the acknowledgement (`defer`), then `execute` with the
 * parsed input; any error is answered by the handler (ephemeral before the acknowledgement).
 */
export interface BotCommand<Input = unknown> {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** 'none': `execute` replies itself, fast. */
  defer: DeferMode | ((interaction: ChatInputCommandInteraction) => DeferMode);
  /** E.g. 'cooldown' for model-backed commands. */
  preconditions?: readonly PreconditionName[];
  /**
   * Fast: reads and validates the options (throw UserFacingError → ephemeral reply); the result is
   * `execute`'s input. May wait for the paper list (read once, at the bot's start).
   */
  parse?(interaction: ChatInputCommandInteraction, ctx: BotContext): Input | Promise<Input>;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext, input: Input): Promise<void>;
  /**
   * Choices for what is being typed: gets what the matching needs (the paper list, read once), then
   * returns the matching itself — fast and synchronous: the central handler runs it in a slice and responds.
   */
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<() => AutocompleteChoice[]>;
}
