import type { Logger } from '../../app/logger.js';
import type { Paperbot } from '../../app/paperbot.js';
import type { FetchRunStore } from '../../state/fetch-run-store.js';
import { DISCORD_LIMITS as L } from '../discord-limits.js';
import { formatAnswer, packEmbeds, type BotMessagePayload } from '../format-answer.js';
import { truncate } from '../split-text.js';
import { findWhatsNew, whatsNewEmbeds, type PreviousDigest } from './whats-new.js';

export interface ComposedDigest {
  payloads: BotMessagePayload[];
  /** Every paper in the index now (the next digest's "new since" compares with it). */
  paperIds: string[];
  newCount: number;
}

/**
 * A digest's messages: first what is new since the previous digest — for each digest topic the new
 * papers about it (or that there are none), and the feeds that failed — then a cited summary of
 * this run's topic.
 */
export async function composeDigest(
  deps: { paperbot: Pick<Paperbot, 'summarize' | 'papers' | 'search'>; logger: Logger; fetchRuns?: FetchRunStore | undefined },
  topic: string,
  input: { topics: readonly string[]; previous: PreviousDigest | undefined; now: number },
): Promise<ComposedDigest> {
  const news = await findWhatsNew(deps, input);
  const result = await deps.paperbot.summarize(topic);
  deps.logger.info({ event: 'digest-summary', topic, mode: result.mode, refused: result.refused, usage: result.usage, newPapers: news.addedCount, failedFeeds: news.failedFeeds.length }, 'digest summary written');
  const summary = formatAnswer(result, { title: truncate(`Weekly digest: ${topic}`, L.embedTitle) });
  // The new papers lead; the summary follows, in as few messages as Discord's limits allow.
  const embeds = [...whatsNewEmbeds(news, input.topics.length, input.previous === undefined), ...summary.flatMap((message) => message.embeds)];
  const payloads: BotMessagePayload[] = packEmbeds(embeds).map((group) => ({ embeds: group, components: [], allowedMentions: { parse: [] } }));
  return { payloads, paperIds: (await deps.paperbot.papers()).map((paper) => paper.id), newCount: news.addedCount };
}
