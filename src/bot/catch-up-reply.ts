import { ButtonStyle, ComponentType, type APIButtonComponent, type APIEmbed, type ButtonInteraction } from 'discord.js';
import type { AnswerSource } from '../answer/answer-types.js';
import { summarizeExtractively, threadExchanges, type CatchUp, type CatchUpExchange } from '../catchup/catch-up.js';
import type { ModelCatchUp } from '../catchup/summarize-with-model.js';
import { UserFacingError } from '../errors.js';
import { EXPORT_ANSWERS_MAX } from '../export/thread-sources.js';
import type { BotContext } from './bot-context.js';
import { DISCORD_LIMITS as L, NO_MENTIONS } from './discord-limits.js';
import { COLORS, linesToFields, markdownLink } from './format-answer.js';
import { replyToButtonEphemerally } from './ephemeral-button.js';
import { asPlainText, neutralizeLinks } from './safe-markdown.js';
import { truncate } from './split-text.js';

export const CATCHUP_PREFIX = 'catchup';

/** Characters of the summary's items (the description holds 4,096; room for the header lines). */
const CATCHUP_MAX_CHARS = 3_400;
/** Turns read for the askers' names. */
const NAME_TURNS = 200;

/** The "Catch me up" button of an answer: custom id `catchup:<answerId>`. */
export function catchUpButton(answerId: string): APIButtonComponent {
  return { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${CATCHUP_PREFIX}:${answerId}`.slice(0, L.customId), emoji: { name: '🧵' }, label: 'Catch me up' };
}

export function parseCatchUpId(customId: string): string | undefined {
  return /^catchup:(.+)$/.exec(customId)?.[1];
}

/** The catch-up as one embed: numbered items, then the thread's sources as linked titles; user text shown as typed. */
export function catchUpEmbed(catchUp: CatchUp, title: string, notice?: string): APIEmbed {
  const allowed = new Set(catchUp.sources.map((source) => source.url));
  const lines = catchUp.items.map((item, i) => `${i + 1}. **${asPlainText(item.author)}** asked “${asPlainText(item.question)}” — ${neutralizeLinks(item.gist, allowed) || '(no answer text)'}`);
  const header = catchUp.omitted > 0 ? `*${catchUp.exchanges} questions so far; the ${catchUp.omitted} earliest are left out.*\n\n` : `*${catchUp.exchanges} question${catchUp.exchanges === 1 ? '' : 's'} so far.*\n\n`;
  return {
    title: truncate(`Catch-up: ${asPlainText(title).replace(/\s+/g, ' ')}`, L.embedTitle),
    description: truncate(header + lines.join('\n'), L.embedDescription),
    color: COLORS.info,
    fields: sourceFields(catchUp.sources),
    footer: { text: `${notice ?? 'Offline summary: quoted from the answers.'} Only you can see it.` },
  };
}

/** The catch-up of a thread the bot started; a UserFacingError elsewhere or when it has no answers yet. */
export async function threadCatchUpEmbed(ctx: BotContext, threadId: string): Promise<APIEmbed> {
  const thread = await ctx.threads.getThread(threadId);
  if (!thread) throw new UserFacingError('unknown-thread', 'Catch me up works in threads I started with /ask.');
  const answers = await ctx.feedback.answersInChannel(threadId, EXPORT_ANSWERS_MAX);
  if (answers.length === 0) throw new UserFacingError('unknown-thread', 'Nothing to catch up on here yet: this thread has no answers on record.');
  const turns = await ctx.threads.recentTurns(threadId, NAME_TURNS);
  const exchanges = threadExchanges(answers, turns);
  const byModel = await modelCatchUp(ctx, exchanges);
  if (byModel) return modelCatchUpEmbed(byModel, thread.question);
  return catchUpEmbed(summarizeExtractively(exchanges, { maxChars: CATCHUP_MAX_CHARS }), thread.question, ctx.paperbot.llmEnabled ? 'The model was unavailable: quoted from the answers.' : undefined);
}

/** The model's catch-up when one is configured and answers; undefined (logged) otherwise, for the extractive one. */
async function modelCatchUp(ctx: BotContext, exchanges: readonly CatchUpExchange[]): Promise<ModelCatchUp | undefined> {
  if (!ctx.paperbot.llmEnabled) return undefined;
  try {
    const result = await ctx.paperbot.catchUpThread(exchanges);
    if (result?.text) ctx.logger.info({ event: 'catchup', chunks: result.chunks, usage: result.usage }, 'catch-up written');
    return result?.text ? result : undefined;
  } catch (error) {
    ctx.logger.warn({ err: error, event: 'catchup-model-failed' }, 'catch-up model failed; extractive instead');
    return undefined;
  }
}

/** The model's catch-up as one embed: its text (links only to the thread's sources), then the sources. */
export function modelCatchUpEmbed(catchUp: ModelCatchUp, title: string): APIEmbed {
  const allowed = new Set(catchUp.sources.map((source) => source.url));
  const header = `*${catchUp.exchanges} question${catchUp.exchanges === 1 ? '' : 's'} so far.*\n\n`;
  return {
    title: truncate(`Catch-up: ${asPlainText(title).replace(/\s+/g, ' ')}`, L.embedTitle),
    description: truncate(header + neutralizeLinks(catchUp.text, allowed), L.embedDescription),
    color: COLORS.llm,
    fields: sourceFields(catchUp.sources),
    footer: { text: `Written by the language model from the thread's answers${catchUp.chunks > 1 ? ` (in ${catchUp.chunks} parts)` : ''}; only you can see it.` },
  };
}

function sourceFields(sources: readonly AnswerSource[]) {
  return linesToFields('Sources', sources.map((source) => `[${source.n}] ${markdownLink(truncate(source.title, 180), source.url)}`)).slice(0, 1);
}

/** A "Catch me up" click: the thread's summary, only to the clicker. */
export async function runCatchUpButton(ctx: BotContext, interaction: ButtonInteraction): Promise<void> {
  const answerId = parseCatchUpId(interaction.customId);
  if (!answerId) return;
  await replyToButtonEphemerally(ctx, interaction, 'catchup-failed', async () => {
    const answer = await ctx.feedback.getShownAnswer(answerId);
    return { embeds: [await threadCatchUpEmbed(ctx, answer?.channelId ?? interaction.channelId)], allowedMentions: NO_MENTIONS };
  });
}
