import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { COLORS } from '../src/bot/format-answer.js';
import { NO_MENTIONS } from '../src/bot/discord-limits.js';

export const data = new SlashCommandBuilder().setName('help').setDescription('What this bot can do.');

export const defer: DeferMode = 'none';

export function helpText(ctx: Pick<BotContext, 'paperbot' | 'config'>): string {
  const count = ctx.paperbot.paperCount();
  return [
    `I answer questions about ${count} machine-learning paper abstracts and cite them as [1], [2]…`,
    '',
    '**/ask** `question` — a cited answer; in a server channel I start a thread: every message there is a follow-up I answer with the conversation as context.',
    '**/compare** `paper_a` `paper_b` — how two papers differ (pick them from the suggestions).',
    '**/summarize** `topic` — what the corpus says about a topic.',
    '**/consensus** `claim` — do the papers agree? Each relevant paper\'s stance, with its evidence sentence.',
    '**/search** `query` — the matching papers, no language model needed.',
    '**/paper** `paper` — one paper\'s abstract and link.',
    '**/digest** — weekly digests (admins: now, preview, channel, topics, schedule).',
    '**/catchup** — in one of my threads: a short summary so far, who asked what and what was answered, with the sources (the 🧵 button too).',
    '**/export** — in one of my threads: the papers cited there, as BibTeX and Markdown files (the 📚 Sources button does it for one answer).',
    '**/watch** `topic` — the new papers on a topic after each fetch, by DM (or in this channel); **/unwatch**, **/watches**.',
    '',
    ctx.paperbot.llmEnabled
      ? 'Answers are written by a language model from the abstracts; rate them with 👍/👎. ⚠ marks a cited sentence its sources do not back up (see "Show evidence").'
      : 'No language model is configured: answers are **offline extracts** quoted from the abstracts.',
    ...(ctx.config.discord.userCooldownSeconds > 0 ? [`One question every ${ctx.config.discord.userCooldownSeconds} s per person.`] : []),
  ].join('\n');
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await interaction.reply({
    embeds: [{ title: 'paperbot — help', description: helpText(ctx), color: COLORS.info }],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}
