import type { AutocompleteInteraction, ChatInputCommandInteraction, Message } from 'discord.js';
import type { Paperbot } from '../app/paperbot.js';
import type { AnswerTarget } from './deliver-answer.js';
import { DISCORD_LIMITS as L } from './discord-limits.js';
import { truncate } from './split-text.js';

/** Answer into a deferred interaction reply: edits replace it, more messages are follow-ups. */
export function interactionTarget(interaction: ChatInputCommandInteraction): AnswerTarget<Message> {
  return {
    edit: (payload) => interaction.editReply({ ...payload, content: payload.content ?? '' }),
    followUp: (payload) => interaction.followUp(payload),
  };
}

export interface Choice {
  name: string;
  value: string;
}

/** Autocomplete choices over the corpus titles: fuzzy, ≤ 25, names ≤ 100 chars, values = paper ids. */
export function paperChoices(paperbot: Pick<Paperbot, 'suggestPapers' | 'papers'>, input: string): Choice[] {
  const query = input.trim();
  const matches = query ? paperbot.suggestPapers(query, L.choices) : paperbot.papers().slice(0, L.choices);
  const seen = new Set<string>();
  const choices: Choice[] = [];
  for (const paper of matches) {
    if (choices.length >= L.choices) break;
    if (paper.id.length === 0 || paper.id.length > L.choiceValue || seen.has(paper.id)) continue;
    seen.add(paper.id);
    choices.push({ name: truncate(paper.title.replace(/\s+/g, ' ').trim() || paper.id, L.choiceName), value: paper.id });
  }
  return choices;
}

/** Respond to a paper-title autocomplete. */
export async function respondWithPaperChoices(interaction: AutocompleteInteraction, paperbot: Paperbot): Promise<void> {
  await interaction.respond(paperChoices(paperbot, String(interaction.options.getFocused())));
}
