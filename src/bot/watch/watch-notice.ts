import type { APIEmbed, MessageCreateOptions } from 'discord.js';
import type { Paper } from '../../corpus/paper.js';
import type { Watch } from '../../state/watch-store.js';
import { DISCORD_LIMITS as L } from '../discord-limits.js';
import { COLORS } from '../format-answer.js';
import { newPaperLine } from '../fetch/match-new-papers.js';
import { asPlainText } from '../safe-markdown.js';
import { splitText, truncate } from '../split-text.js';

/** Papers listed in one notice ("…and N more" after). */
const MAX_LISTED = 10;

/**
 * One notice for one subscription after a fetch: the new papers on its topic, batched. A channel
 * notice mentions its subscriber — only them (allowedMentions names that one user); a DM mentions no one.
 */
export function formatWatchNotice(watch: Watch, papers: readonly Paper[]): MessageCreateOptions {
  const lines = papers.slice(0, MAX_LISTED).map(newPaperLine);
  if (papers.length > MAX_LISTED) lines.push(`…and ${papers.length - MAX_LISTED} more.`);
  const embed: APIEmbed = {
    title: truncate(asPlainText(`New on “${watch.topic}” (${papers.length})`), L.embedTitle),
    description: splitText(lines.join('\n'), L.embedDescription)[0] ?? '',
    color: COLORS.info,
    footer: { text: truncate(`You watch “${watch.topic}”. Stop with /unwatch.`, L.footerText) },
  };
  if (watch.scope === 'user') return { embeds: [embed], allowedMentions: { parse: [] } };
  return { content: `<@${watch.subscriberId}>`, embeds: [embed], allowedMentions: { parse: [], users: [watch.subscriberId] } };
}
