import type { APIEmbed } from 'discord.js';
import type { AnswerSource } from '../answer/answer-types.js';
import type { ClaimCheck } from '../verify/check-claims.js';
import { UNSUPPORTED_MARKER } from '../verify/check-claims.js';
import { DISCORD_LIMITS as L } from './discord-limits.js';
import { COLORS, formatNotice, packEmbeds, payload, type BotMessagePayload } from './format-answer.js';
import { asPlainText } from './safe-markdown.js';
import { splitText, truncate } from './split-text.js';

/** Longest stretch of a sentence or evidence quoted per flagged claim. */
const MAX_QUOTE_CHARS = 600;
const MAX_TITLE_CHARS = 120;

export const EVIDENCE_TEXTS = {
  unknown: 'That answer is no longer on record, sorry.',
  off: 'The claim check is turned off on this bot (VERIFY_CLAIMS=off).',
  allMatched: 'Every cited sentence of this answer matched its sources.',
  noEvidence: '(no sentence of the cited abstract is related)',
};

/** One flagged sentence: the sentence, then the closest sentence of its cited abstract(s), then which abstract(s). */
function evidenceBlock(claim: ClaimCheck['claims'][number], i: number, titles: ReadonlyMap<number, string>): string {
  const cited = claim.citations.map((n) => `[${n}] ${asPlainText(truncate(titles.get(n) ?? 'unknown source', MAX_TITLE_CHARS))}`).join('; ');
  const evidence = claim.evidence ? `“${asPlainText(truncate(claim.evidence, MAX_QUOTE_CHARS))}”` : EVIDENCE_TEXTS.noEvidence;
  return [`**${i + 1}.** ${asPlainText(truncate(claim.text, MAX_QUOTE_CHARS))} ${UNSUPPORTED_MARKER}`, `> Closest in the cited abstract: ${evidence}`, `> — ${cited}`].join('\n');
}

/**
 * The "Show evidence" reply: for each flagged sentence of an answer, the best supporting sentence of
 * its cited abstract(s). `check` undefined: the check is off. Plain text only (no markdown or links
 * from the answer or the abstracts), within the embed limits, over several messages when long.
 */
export function formatEvidence(check: ClaimCheck | undefined, sources: readonly AnswerSource[]): BotMessagePayload[] {
  if (!check) return [formatNotice(EVIDENCE_TEXTS.off)];
  const flagged = check.claims.filter((claim) => !claim.supported);
  if (flagged.length === 0) return [formatNotice(EVIDENCE_TEXTS.allMatched)];
  const titles = new Map(sources.map((source) => [source.n, source.title]));
  const body = flagged.map((claim, i) => evidenceBlock(claim, i, titles)).join('\n\n');
  const embeds: APIEmbed[] = splitText(body, L.embedDescription).map((chunk, i) =>
    i === 0 ? { title: 'Evidence for the flagged sentences', description: chunk, color: COLORS.refused } : { description: chunk, color: COLORS.refused },
  );
  embeds.at(-1)!.footer = { text: truncate(`${UNSUPPORTED_MARKER} ${check.summary.line}${check.verifiedBy === 'model' ? ' (judged by a language model)' : ''}`, L.footerText) };
  return packEmbeds(embeds).map((group) => payload(group));
}
