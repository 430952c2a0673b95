import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../app/logger.js';
import type { Paperbot } from '../app/paperbot.js';
import type { Clock } from './clock.js';
import type { Cooldown } from './cooldown.js';
import type { DigestService } from './digest/digest-service.js';
import type { BotConfig } from './load-bot-config.js';
import type { FeedbackStore } from '../state/feedback-store.js';
import type { ThreadStore } from '../state/thread-store.js';

/** What every command and handler receives: the core plus the bot's own services (no singletons). */
export interface BotContext {
  paperbot: Paperbot;
  /** The bot's configuration (core + Discord + digests); the core itself holds none of it. */
  config: BotConfig;
  threads: ThreadStore;
  feedback: FeedbackStore;
  digest: DigestService;
  cooldown: Cooldown;
  clock: Clock;
  /** Per-interaction child logger (interaction id, command, user) inside handlers. */
  logger: Logger;
  /** Minimum milliseconds between streamed edits of one message. */
  streamEditIntervalMs: number;
  /**
   * Resolves on the next free turn of the event loop (one caller per turn). Answers wait for it
   * before their CPU-bound retrieval, so in a burst of commands the pending acknowledgements and
   * other network I/O run between two retrievals instead of after all of them.
   */
  nextTurn?: () => Promise<void>;
}

/** How the central handler acknowledges a command before running it (within Discord's 3 s). */
export type DeferMode = 'public' | 'ephemeral' | 'none';

/** One slash command module (`commands/<name>.ts`). */
export interface BotCommand {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** 'none': `execute` replies itself, fast. */
  defer: DeferMode | ((interaction: ChatInputCommandInteraction) => DeferMode);
  /** Model-backed commands take the per-user cooldown. */
  usesModel?: boolean;
  /** Fast checks before the acknowledgement (input length, permissions); throw UserFacingError → ephemeral reply. */
  validate?(interaction: ChatInputCommandInteraction, ctx: BotContext): void;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}
