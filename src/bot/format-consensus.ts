import type { APIEmbed, APIEmbedField } from 'discord.js';
import { STANCE_LABELS, type ConsensusResult, type PaperStance } from '../verify/assess-consensus.js';
import { DISCORD_LIMITS as L } from './discord-limits.js';
import { COLORS, embedLength, markdownLink, payload, type BotMessagePayload } from './format-answer.js';
import { asPlainText, neutralizeLinks } from './safe-markdown.js';
import { truncate } from './split-text.js';

/** Papers per page: one embed field each. */
export const PAPERS_PER_PAGE = 10;
/** The synthesis and notice share this much of each page's description. */
const MAX_DESCRIPTION_CHARS = 1_200;
const MAX_FIELD_NAME_CHARS = 120;
/** Room kept for the page footer and rounding. */
const FOOTER_ROOM = 120;

const STANCE_ICONS: Readonly<Record<PaperStance['stance'], string>> = { supports: '✅', contradicts: '❌', mixed: '➖', 'does-not-say': '▫️', 'not-judged': '▫️' };

function paperField(paper: PaperStance, maxValue: number): APIEmbedField {
  const name = truncate(`[${paper.n}] ${asPlainText(paper.title).replace(/\s+/g, ' ')}`, MAX_FIELD_NAME_CHARS);
  const link = markdownLink('paper', paper.url);
  const stance = `${STANCE_ICONS[paper.stance]} **${STANCE_LABELS[paper.stance]}** · ${link.length <= 300 ? link : ''}`;
  const room = Math.max(20, Math.min(L.fieldValue, maxValue) - stance.length - 3);
  const evidence = paper.evidence ? `“${truncate(asPlainText(paper.evidence), room)}”` : '*(no sentence of its abstract is on this)*';
  return { name, value: truncate(`${stance}\n${evidence}`, Math.min(L.fieldValue, maxValue)) };
}

/** The description shared by every page: the notice (offline / model failure), then the synthesis. */
function description(result: ConsensusResult): string {
  const urls = new Set(result.papers.map((paper) => paper.url));
  const notice = result.notice ? `*${asPlainText(result.notice)}*\n\n` : '';
  const label = result.mode === 'llm' ? '**Synthesis.** ' : '';
  return truncate(`${notice}${label}${neutralizeLinks(result.synthesis, urls)}`, MAX_DESCRIPTION_CHARS);
}

/**
 * "/consensus": one embed per page — the claim as title, the notice and synthesis, then one field per
 * paper (stance, link, evidence sentence), at most PAPERS_PER_PAGE papers per page; each page within
 * Discord's limits (6,000 characters per message). Everything plain text but the links to the papers.
 */
export function formatConsensusPages(result: ConsensusResult): BotMessagePayload[] {
  const title = truncate(`Do the papers agree? ${asPlainText(result.claim).replace(/\s+/g, ' ')}`, L.embedTitle);
  const text = description(result);
  const pageCount = Math.max(1, Math.ceil(result.papers.length / PAPERS_PER_PAGE));
  const pages: BotMessagePayload[] = [];
  for (let page = 0; page < pageCount; page++) {
    const papers = result.papers.slice(page * PAPERS_PER_PAGE, (page + 1) * PAPERS_PER_PAGE);
    const budget = L.embedTotal - title.length - text.length - FOOTER_ROOM;
    const perField = Math.floor(budget / Math.max(1, papers.length)) - MAX_FIELD_NAME_CHARS;
    const embed: APIEmbed = { title, description: text || '—', color: result.mode === 'llm' ? COLORS.llm : COLORS.extractive, fields: papers.map((p) => paperField(p, perField)) };
    const judged = result.mode === 'llm' ? 'stances judged by a language model' : 'stances not judged (no model)';
    embed.footer = { text: pageCount > 1 ? `Page ${page + 1} of ${pageCount} · ${judged}` : judged };
    if (embedLength(embed) > L.embedTotal) throw new Error('formatConsensusPages: a page exceeds the embed limit');
    pages.push(payload([embed]));
  }
  return pages;
}
