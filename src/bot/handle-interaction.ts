import { MessageFlags, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { GENERIC_APOLOGY, UserFacingError, isUserFacingError } from '../errors.js';
import { runRequest } from './run-request.js';
import type { AutocompleteChoice, BotCommand, BotContext, DeferMode } from './bot-context.js';
import { NO_MENTIONS } from './discord-limits.js';
import { parseEvidenceId, parseFeedbackId } from './format-answer.js';
import { showEvidence } from './show-evidence.js';
import { runSourcesButton } from './sources-button.js';
import { runCatchUpButton } from './catch-up-reply.js';
import { expectedPaperComponents, runExpectedPaperSelect } from './expected-paper-select.js';
import type { WorkTracker } from './work-tracker.js';

/** Autocompletes older than this are dropped unanswered (Discord's window is 3 s). */
export const AUTOCOMPLETE_STALE_MS = 2_500;


/** The parts of a replyable interaction the error recovery uses (real interactions and test fakes). */
export interface RepliableLike {
  deferred: boolean;
  replied: boolean;
  reply(options: object): Promise<unknown>;
  editReply(options: object): Promise<unknown>;
  followUp(options: object): Promise<unknown>;
}

/**
 * Answer an interaction with an error whatever state it is in (like yuudachi's handler): not yet
 * acknowledged → ephemeral reply; deferred → edit the deferred reply; already replied → ephemeral
 * follow-up. UserFacingError shows its message; anything else a generic apology (logged by the caller).
 */
export async function replyWithError(interaction: RepliableLike, error: unknown): Promise<void> {
  const content = isUserFacingError(error) ? error.message : GENERIC_APOLOGY;
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  } else if (interaction.deferred && !interaction.replied) {
    await interaction.editReply({ content, embeds: [], components: [], allowedMentions: NO_MENTIONS });
  } else {
    await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  }
}

function deferMode(command: BotCommand, interaction: ChatInputCommandInteraction): DeferMode {
  return typeof command.defer === 'function' ? command.defer(interaction) : command.defer;
}

export interface InteractionHandlerDeps {
  commands: ReadonlyMap<string, BotCommand>;
  ctx: BotContext;
  tracker: WorkTracker;
}

/** A slash command: parsed, its preconditions run, acknowledged, executed; every error answered (ephemeral before the acknowledgement). */
async function runCommand(deps: InteractionHandlerDeps, interaction: ChatInputCommandInteraction): Promise<void> {
  const { commands, ctx, tracker } = deps;
  const logger = ctx.logger.child({ interactionId: interaction.id, command: interaction.commandName, userId: interaction.user.id, guildId: interaction.guildId });
  const local: BotContext = { ...ctx, logger };
  const command = commands.get(interaction.commandName);
  const started = ctx.clock.now();
  const done = await runRequest(local, {
    userId: interaction.user.id,
    logger,
    preconditions: command?.preconditions,
    parse: async () => {
      if (!tracker.accepting) throw new UserFacingError('shutting-down', 'The bot is restarting; please try again in a minute.');
      if (!command) throw new UserFacingError('unknown-command', `Unknown command /${interaction.commandName}. The command list may be out of date.`);
      return { command, input: await command.parse?.(interaction, local) };
    },
    run: async ({ command: found, input }) => {
      const mode = deferMode(found, interaction);
      if (mode !== 'none') await interaction.deferReply(mode === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {});
      await found.execute(interaction, local, input);
    },
    answerError: (error) => replyWithError(interaction, error),
  });
  if (done) logger.info({ event: 'command', ms: ctx.clock.now() - started }, 'command done');
}

/**
 * Autocompletes: matching runs in short slices between event-loop turns (a storm never delays other
 * acknowledgements); only a user's newest request is answered (Discord shows only that one), and
 * none Discord has already given up on.
 */
function createAutocompleteRunner(commands: ReadonlyMap<string, BotCommand>, ctx: BotContext): (interaction: AutocompleteInteraction) => Promise<void> {
  const newest = new Map<string, string>();
  const choicesFor = (interaction: AutocompleteInteraction, match: () => AutocompleteChoice[]): AutocompleteChoice[] | undefined => {
    const userId = interaction.user.id;
    if (newest.get(userId) !== interaction.id) return undefined;
    newest.delete(userId);
    if (ctx.clock.now() - interaction.createdTimestamp > AUTOCOMPLETE_STALE_MS) return undefined;
    return match();
  };
  return async (interaction) => {
    newest.set(interaction.user.id, interaction.id);
    try {
      const autocomplete = commands.get(interaction.commandName)?.autocomplete;
      const match = autocomplete ? await autocomplete(interaction, ctx) : () => [];
      const choices = await ctx.turns.slice(() => choicesFor(interaction, match));
      if (choices) await interaction.respond(choices);
    } catch (error) {
      ctx.logger.warn({ err: error, interactionId: interaction.id, event: 'autocomplete-failed' }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
    }
  };
}

/** A 👍/👎 click: the vote stored with the answer, an ephemeral thank-you. */
async function runFeedbackButton(ctx: BotContext, interaction: ButtonInteraction): Promise<void> {
  const feedback = parseFeedbackId(interaction.customId);
  if (!feedback) return;
  try {
    const stored = await ctx.feedback.recordVote({ answerId: feedback.answerId, userId: interaction.user.id, vote: feedback.vote }, ctx.clock.now());
    ctx.logger.info({ event: 'feedback', answerId: feedback.answerId, vote: feedback.vote, stored, userId: interaction.user.id }, 'feedback');
    const content = stored ? `Thanks — your ${feedback.vote === 'up' ? '👍' : '👎'} was recorded.` : 'That answer is no longer on record, sorry.';
    // After a 👎, optionally: which paper should have answered? (a regression test in the making)
    const components = stored && feedback.vote === 'down' ? await expectedPaperComponents(ctx, feedback.answerId) : [];
    await interaction.reply({ content, components, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  } catch (error) {
    ctx.logger.error({ err: error, event: 'feedback-failed' }, 'feedback failed');
    await replyWithError(interaction, error).catch(() => undefined);
  }
}

/** A "Show evidence" click (`evidence:<answerId>`): the evidence replied ephemerally; errors answered. */
async function runEvidenceButton(ctx: BotContext, interaction: ButtonInteraction, answerId: string): Promise<void> {
  try {
    await showEvidence(ctx, interaction, answerId);
  } catch (error) {
    ctx.logger.error({ err: error, event: 'evidence-failed', answerId }, 'showing evidence failed');
    await replyWithError(interaction, error).catch(() => undefined);
  }
}

/** A button: 🔎 Show evidence, 📚 Sources, 🧵 Catch me up, else 👍/👎. */
function runButton(ctx: BotContext, interaction: ButtonInteraction): Promise<void> {
  const evidenceFor = parseEvidenceId(interaction.customId);
  if (evidenceFor) return runEvidenceButton(ctx, interaction, evidenceFor);
  if (interaction.customId.startsWith('sources:')) return runSourcesButton(ctx, interaction);
  if (interaction.customId.startsWith('catchup:')) return runCatchUpButton(ctx, interaction);
  return runFeedbackButton(ctx, interaction);
}

/** The central interaction handler: routes commands, autocomplete and feedback buttons; never throws. */
export function createInteractionHandler(deps: InteractionHandlerDeps): (interaction: Interaction) => Promise<void> {
  const runAutocomplete = createAutocompleteRunner(deps.commands, deps.ctx);
  return async (interaction) => {
    if (interaction.isChatInputCommand()) await deps.tracker.track(() => runCommand(deps, interaction));
    else if (interaction.isAutocomplete()) await runAutocomplete(interaction);
    else if (interaction.isButton()) await deps.tracker.track(() => runButton(deps.ctx, interaction));
    else if (interaction.isStringSelectMenu()) await deps.tracker.track(() => runExpectedPaperSelect(deps.ctx, interaction));
  };
}
