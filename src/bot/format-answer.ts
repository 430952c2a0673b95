import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { AnswerResult, AnswerSource } from '../answer/answer-types.js';
import type { Paper } from '../corpus/paper.js';
import type { SearchResponse } from '../retrieval/search-types.js';
import { DISCORD_LIMITS as L, NO_MENTIONS } from './discord-limits.js';
import { asPlainText, neutralizeLinks, wellFormed, withoutCitations } from './safe-markdown.js';
import { splitText, truncate } from './split-text.js';
import { markUnsupportedClaims, UNSUPPORTED_MARKER } from '../verify/check-claims.js';

/** One message the bot sends or edits: pure data, ready for reply/editReply/followUp/send. */
export interface BotMessagePayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: typeof NO_MENTIONS;
}

export const COLORS = { llm: 0x5865f2, extractive: 0xfee75c, refused: 0x99aab5, error: 0xed4245, info: 0x57f287 } as const;

export const FEEDBACK_PREFIX = 'feedback';
/** Custom id prefix of the "Show evidence" button: `evidence:<answerId>`. */
export const EVIDENCE_PREFIX = 'evidence';

export interface FormatAnswerOptions {
  /** Shown as the first embed's title (the question, "A vs B", the topic). */
  title: string;
  /** When given, 👍/👎 buttons for this stored answer go on the last message. */
  answerId?: string;
  /** An extra line shown before the answer (e.g. why it was answered inline). */
  note?: string;
}

/** Characters an embed counts towards the 6,000-per-message total. */
export function embedLength(embed: APIEmbed): number {
  let total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

/** Every text of an embed made well-formed UTF-16 (no half emoji after a cut). */
function wellFormedEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = wellFormed(out.title);
  if (out.description !== undefined) out.description = wellFormed(out.description);
  if (out.footer) out.footer = { ...out.footer, text: wellFormed(out.footer.text) };
  if (out.fields) out.fields = out.fields.map((field) => ({ ...field, name: wellFormed(field.name), value: wellFormed(field.value) }));
  return out;
}

export function payload(embeds: APIEmbed[], components: BotMessagePayload['components'] = [], content?: string): BotMessagePayload {
  const message: BotMessagePayload = { embeds: embeds.map(wellFormedEmbed), components, allowedMentions: NO_MENTIONS };
  if (content !== undefined) message.content = wellFormed(truncate(content, L.content));
  return message;
}

/** A plain text message (errors, notices, confirmations), within the content limit, pinging no one, links undisguised. */
export function formatNotice(text: string): BotMessagePayload {
  return payload([], [], neutralizeLinks(text));
}

/** An embed title from user or corpus text: shown as typed, one line, within the title limit. */
function plainTitle(text: string): string {
  return truncate(asPlainText(text).replace(/\s+/g, ' '), L.embedTitle);
}

/**
 * The 👍/👎 row; custom ids are `feedback:up:<answerId>` / `feedback:down:<answerId>`; with `evidence`, a
 * "Show evidence" button (`evidence:<answerId>`) too.
 */
export function feedbackButtons(answerId: string, options: { evidence?: boolean } = {}): APIActionRowComponent<APIButtonComponent> {
  const button = (vote: 'up' | 'down', emoji: string, label: string): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: `${FEEDBACK_PREFIX}:${vote}:${answerId}`.slice(0, L.customId),
    emoji: { name: emoji },
    label,
  });
  const buttons = [button('up', '👍', 'Helpful'), button('down', '👎', 'Not helpful')];
  if (options.evidence) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${EVIDENCE_PREFIX}:${answerId}`.slice(0, L.customId), emoji: { name: '🔎' }, label: 'Show evidence' });
  }
  return { type: ComponentType.ActionRow, components: buttons };
}

/** The answer id of a "Show evidence" button's custom id. */
export function parseEvidenceId(customId: string): string | undefined {
  return /^evidence:(.+)$/.exec(customId)?.[1];
}

/** Parse a feedback button's custom id. */
export function parseFeedbackId(customId: string): { vote: 'up' | 'down'; answerId: string } | undefined {
  const match = /^feedback:(up|down):(.+)$/.exec(customId);
  if (!match) return undefined;
  return { vote: match[1] as 'up' | 'down', answerId: match[2] as string };
}

/** Markdown link text and url made safe: the title shown as plain text, parentheses/spaces in urls encoded. */
export function markdownLink(text: string, url: string): string {
  const safeText = asPlainText(text).replace(/([[\]])/g, '\\$1');
  const safeUrl = url.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\s/g, '%20');
  return /^https?:\/\//.test(safeUrl) ? `[${safeText}](${safeUrl})` : safeText;
}

function sourceLine(source: AnswerSource): string {
  const line = `[${source.n}] ${markdownLink(truncate(source.title, 180), source.url)}`;
  return line.length <= L.fieldValue ? line : `[${source.n}] ${asPlainText(truncate(source.title, 180))}`;
}

/** Lines packed into embed fields (each value ≤ 1,024), the first named `name`, the rest "… (continued)". */
export function linesToFields(name: string, lines: string[]): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  let current = '';
  const flush = () => {
    if (current) fields.push({ name: truncate(fields.length === 0 ? name : `${name} (continued)`, L.fieldName), value: current });
    current = '';
  };
  for (const raw of lines) {
    const line = truncate(raw, L.fieldValue);
    if (current && current.length + 1 + line.length > L.fieldValue) flush();
    current = current ? `${current}\n${line}` : line;
  }
  flush();
  return fields;
}

/** Group embeds into messages: ≤ 10 embeds and ≤ 6,000 characters each. */
export function packEmbeds(embeds: APIEmbed[]): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let size = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (current.length > 0 && (current.length >= L.embedsPerMessage || size + length > L.embedTotal)) {
      messages.push(current);
      current = [];
      size = 0;
    }
    current.push(embed);
    size += length;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/** Add fields to the embeds: onto the last one while it fits, else onto new field-only embeds. */
export function appendFields(embeds: APIEmbed[], fields: APIEmbedField[], color: number): void {
  for (const field of fields) {
    const last = embeds[embeds.length - 1];
    const fieldSize = field.name.length + field.value.length;
    if (last && (last.fields?.length ?? 0) < L.embedFields && embedLength(last) + fieldSize <= L.embedTotal - 200) {
      last.fields = [...(last.fields ?? []), field];
    } else {
      embeds.push({ color, fields: [field] });
    }
  }
}

/** The label shown with answers that are not written by the language model. */
export function modeLabel(result: Pick<AnswerResult, 'mode' | 'notice' | 'refused'>): string | undefined {
  if (result.refused) return result.notice;
  if (result.mode === 'extractive') {
    return result.notice ? `Offline answer: ${result.notice}` : 'Offline answer: sentences quoted from the abstracts, not written by a language model.';
  }
  return result.notice;
}

/**
 * The answer text as shown: links only to the cited sources stay masked; a refusal (which may quote
 * the question) is shown as plain text.
 */
function answerText(result: AnswerResult): string {
  if (result.refused) return asPlainText(result.answer.trim());
  const marked = result.claimCheck ? markUnsupportedClaims(result.answer, result.claimCheck) : result.answer;
  return neutralizeLinks(marked.trim(), new Set(result.sources.map((source) => source.url)));
}

/** The claim-check footer line ("⚠ 2 of 9 cited sentences could not be matched to their sources."), if any sentence was checked. */
function claimFooter(result: AnswerResult): string | undefined {
  const summary = result.claimCheck?.summary;
  if (!summary || summary.cited === 0 || result.refused) return undefined;
  return summary.unsupported > 0 ? `${UNSUPPORTED_MARKER} ${summary.line}` : summary.line;
}

/**
 * An answer as messages of embeds: the answer text (with its [n] markers) in descriptions split at
 * sentence/paragraph boundaries, then the sources as linked titles; refused answers list the
 * nearest papers instead. Everything within Discord's limits; feedback buttons on the last message.
 */
export function formatAnswer(result: AnswerResult, options: FormatAnswerOptions): BotMessagePayload[] {
  const color = result.refused ? COLORS.refused : result.mode === 'extractive' ? COLORS.extractive : COLORS.llm;
  const label = modeLabel(result);
  const intro = [options.note, result.mode === 'extractive' && !result.refused && label ? `*${label}*` : undefined].filter(Boolean).join('\n');
  const body = [intro, answerText(result) || '(no answer text)'].filter(Boolean).join('\n\n');
  const chunks = splitText(body, L.embedDescription);
  const embeds: APIEmbed[] = chunks.map((chunk, i) => (i === 0 ? { title: plainTitle(options.title), description: chunk, color } : { description: chunk, color }));

  if (result.refused) {
    const nearest = result.nearest ?? [];
    if (nearest.length > 0) appendFields(embeds, linesToFields('Nearest papers in the corpus', nearest.map(sourceLine)), color);
  } else if (result.sources.length > 0) {
    appendFields(embeds, linesToFields('Sources', result.sources.map(sourceLine)), color);
  }
  const modeFooter = result.mode === 'extractive' && !result.refused ? 'Offline answer (extractive)' : label;
  const footer = [modeFooter, claimFooter(result)].filter(Boolean).join('\n');
  const lastEmbed = embeds[embeds.length - 1];
  if (footer && lastEmbed) lastEmbed.footer = { text: truncate(footer, L.footerText) };

  const groups = packEmbeds(embeds);
  const evidence = (result.claimCheck?.summary.unsupported ?? 0) > 0;
  return groups.map((group, i) => payload(group, i === groups.length - 1 && options.answerId ? [feedbackButtons(options.answerId, { evidence })] : []));
}

/** The message shown while the model is still writing: the text so far, marked as in progress. */
export function formatStreamingPreview(title: string, partial: string): BotMessagePayload {
  // Citations are checked only when the answer is complete: they appear with it.
  const shown = neutralizeLinks(withoutCitations(partial)).trim();
  const text = shown ? truncate(shown, L.embedDescription - 2) + ' ▍' : '…';
  return payload([{ title: plainTitle(title), description: text, color: COLORS.llm, footer: { text: 'Writing…' } }]);
}

/** "Busy — you are number N in line." */
export function formatQueuePosition(position: number): BotMessagePayload {
  return payload([], [], `Busy — you are number ${position} in line. Your answer will appear here.`);
}

/** Search results: linked titles with scores; no model involved. */
export function formatSearchResults(response: SearchResponse): BotMessagePayload[] {
  const title = plainTitle(`Search: ${response.query}`);
  if (response.hits.length === 0) return [payload([{ title, description: 'No papers found.', color: COLORS.refused }])];
  const lines = response.hits.map((hit, i) => `${i + 1}. ${markdownLink(truncate(hit.paper.title, 180), hit.paper.url)} — ${hit.score.toFixed(2)}${hit.relevant ? '' : ' *(weak match)*'}`);
  const description = response.relevant ? '' : '*Nothing in the corpus looks clearly about this; these are the nearest papers.*\n\n';
  const chunks = splitText(description + lines.join('\n'), L.embedDescription);
  const embeds: APIEmbed[] = chunks.map((chunk, i) => (i === 0 ? { title, description: chunk, color: COLORS.info } : { description: chunk, color: COLORS.info }));
  return packEmbeds(embeds).map((group) => payload(group));
}

/** One paper: title linked, abstract, authors, links. */
export function formatPaper(paper: Paper): BotMessagePayload {
  const embed: APIEmbed = {
    title: plainTitle(paper.title),
    description: truncate(neutralizeLinks(paper.abstract, new Set([paper.url])), L.embedDescription),
    color: COLORS.info,
    footer: { text: truncate(`id: ${paper.id}`, L.footerText) },
  };
  if (/^https?:\/\//.test(paper.url)) embed.url = paper.url;
  const fields: APIEmbedField[] = [];
  if (paper.authors?.length) fields.push({ name: 'Authors', value: truncate(asPlainText(paper.authors.join(', ')), L.fieldValue) });
  if (paper.published) fields.push({ name: 'Published', value: truncate(asPlainText(paper.published), L.fieldValue), inline: true });
  if (paper.links.length) fields.push(...linesToFields('Links', paper.links.map((link) => truncate(link, 300))).slice(0, 3));
  if (fields.length) embed.fields = fields;
  return payload([embed]);
}
