import type { APIEmbed } from 'discord.js';
import type { Logger } from '../../app/logger.js';
import type { Paperbot } from '../../app/paperbot.js';
import type { Paper } from '../../corpus/paper.js';
import { DISCORD_LIMITS as L } from '../discord-limits.js';
import { COLORS, formatAnswer, linesToFields, markdownLink, packEmbeds, type BotMessagePayload } from '../format-answer.js';
import { truncate } from '../split-text.js';

/** At most this many new papers are listed by name ("…and N more" after). */
const MAX_NEW_LISTED = 15;
/** A listed paper's title is cut to this many characters. */
const NEW_PAPER_TITLE_CHARS = 180;

export interface ComposedDigest {
  payloads: BotMessagePayload[];
  /** Every paper in the index now (the next digest's "new since" compares with it). */
  paperIds: string[];
  newCount: number;
}

/** The "New since the last digest" messages. */
function newPapersPayloads(added: readonly Paper[]): BotMessagePayload[] {
  const lines = added.slice(0, MAX_NEW_LISTED).map((paper) => `• ${markdownLink(truncate(paper.title, NEW_PAPER_TITLE_CHARS), paper.url)}`);
  if (added.length > MAX_NEW_LISTED) lines.push(`…and ${added.length - MAX_NEW_LISTED} more.`);
  const embed: APIEmbed = { title: `New since the last digest (${added.length})`, color: COLORS.info, fields: linesToFields('Papers', lines).slice(0, L.embedFields) };
  return packEmbeds([embed]).map((group) => ({ embeds: group, components: [], allowedMentions: { parse: [] } }));
}

/**
 * A digest's messages: a cited summary of the topic, then the papers added since the previous digest
 * (`previousPaperIds`; none listed for the first digest).
 */
export async function composeDigest(
  deps: { paperbot: Pick<Paperbot, 'summarize' | 'papers'>; logger: Logger },
  topic: string,
  previousPaperIds: readonly string[] | undefined,
): Promise<ComposedDigest> {
  const result = await deps.paperbot.summarize(topic);
  deps.logger.info({ event: 'digest-summary', topic, mode: result.mode, refused: result.refused, usage: result.usage }, 'digest summary written');
  const payloads = formatAnswer(result, { title: truncate(`Weekly digest: ${topic}`, L.embedTitle) });
  const papers = deps.paperbot.papers();
  if (!previousPaperIds) return { payloads, paperIds: papers.map((paper) => paper.id), newCount: 0 };
  const known = new Set(previousPaperIds);
  const added = papers.filter((paper) => !known.has(paper.id));
  if (added.length > 0) payloads.push(...newPapersPayloads(added));
  return { payloads, paperIds: papers.map((paper) => paper.id), newCount: added.length };
}
