import type { AutocompleteInteraction, ChatInputCommandInteraction, Message } from 'discord.js';
import { SUGGEST_INPUT_CHARS } from '../answer/resolve-paper.js';
import type { Paperbot } from '../app/paperbot.js';
import type { PaperEntry } from '../corpus/paper.js';
import type { AutocompleteChoice } from './bot-context.js';
import type { AnswerResult } from '../answer/answer-types.js';
import { writeAnswer, type AnswerRequest, type AnswerTarget } from './answer-request.js';
import type { BotContext } from './bot-context.js';
import { DISCORD_LIMITS as L } from './discord-limits.js';
import { truncate } from './split-text.js';

/** Write and show a model-backed answer in a deferred interaction reply. */
export async function answerInteraction(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  request: Omit<AnswerRequest, 'userId' | 'channelId' | 'guildId' | 'command'>,
): Promise<{ result: AnswerResult; firstMessage: Message; answerId: string }> {
  const written = await writeAnswer(ctx, { ...request, userId: interaction.user.id, channelId: interaction.channelId, guildId: interaction.guildId, command: interaction.commandName }, interactionTarget(interaction));
  const { firstMessage, answerId } = await written.show();
  return { result: written.result, firstMessage, answerId };
}

/** Answer into a deferred interaction reply: edits replace it, more messages are follow-ups. */
export function interactionTarget(interaction: ChatInputCommandInteraction): AnswerTarget<Message> {
  return {
    edit: (payload) => interaction.editReply({ ...payload, content: payload.content ?? '' }),
    followUp: (payload) => interaction.followUp(payload),
  };
}

/**
 * Autocomplete choices over the corpus titles from the first `SUGGEST_INPUT_CHARS` characters typed:
 * fuzzy, ≤ 25, names ≤ 100 chars, values = paper ids.
 */
export async function paperChoices(paperbot: Pick<Paperbot, 'catalogue'>, input: string): Promise<() => AutocompleteChoice[]> {
  const { papers, resolver } = await paperbot.catalogue();
  const query = queryOf(input);
  return () => choicesOf(query ? resolver.suggest(query, L.choices) : papers.slice(0, L.choices));
}

/** What autocomplete matches of the input: its first SUGGEST_INPUT_CHARS characters. */
function queryOf(input: string): string {
  return [...input.slice(0, SUGGEST_INPUT_CHARS * 2)].slice(0, SUGGEST_INPUT_CHARS).join('').trim();
}

/** Discord choices of papers: ≤ 25, each once, names ≤ 100 characters, values = paper ids (≤ 100 characters). */
function choicesOf(matches: readonly PaperEntry[]): AutocompleteChoice[] {
  const seen = new Set<string>();
  const choices: AutocompleteChoice[] = [];
  for (const paper of matches) {
    if (choices.length >= L.choices) break;
    if (paper.id.length === 0 || paper.id.length > L.choiceValue || seen.has(paper.id)) continue;
    seen.add(paper.id);
    choices.push({ name: truncate(paper.title.replace(/\s+/g, ' ').trim() || paper.id, L.choiceName), value: paper.id });
  }
  return choices;
}

/** Choices for a paper-title autocomplete. */
export function paperChoicesFor(interaction: AutocompleteInteraction, paperbot: Paperbot): Promise<() => AutocompleteChoice[]> {
  return paperChoices(paperbot, String(interaction.options.getFocused()));
}
