import type { APIEmbed } from 'discord.js';
import type { Paperbot } from '../../app/paperbot.js';
import type { Paper } from '../../corpus/paper.js';
import type { FetchRunStore } from '../../state/fetch-run-store.js';
import { DISCORD_LIMITS as L } from '../discord-limits.js';
import { appendFields, COLORS, linesToFields } from '../format-answer.js';
import { asPlainText } from '../safe-markdown.js';
import { truncate } from '../split-text.js';
import { matchNewPapers, newPaperLine } from '../fetch/match-new-papers.js';

const WEEK_MS = 7 * 86_400_000;
/** Topics listed in the "new" part (the rest are left out, said so). */
const MAX_TOPICS = 10;
/** Papers listed per topic ("…and N more" after). */
const MAX_PER_TOPIC = 8;

/** The previous digest: which papers it knew and when it was posted. */
export interface PreviousDigest {
  paperIds: readonly string[];
  postedAt: number;
}

export interface WhatsNew {
  /** Papers added since the previous digest (for the first digest: those fetched in the past week). */
  addedCount: number;
  byTopic: { topic: string; papers: Paper[] }[];
  /** Feeds whose latest fetch since the previous digest failed, with why. */
  failedFeeds: { feed: string; error: string }[];
}

/** Feeds whose most recent fetch in these runs failed (a later success clears an earlier failure). */
function stillFailing(runs: Awaited<ReturnType<FetchRunStore['completedRunsSince']>>): { feed: string; error: string }[] {
  const latest = new Map<string, string | null>();
  for (const run of runs) {
    for (const feed of run.outcome?.feeds ?? []) latest.set(feed, null);
    for (const failed of run.outcome?.failedFeeds ?? []) latest.set(failed.feed, failed.error);
  }
  return [...latest].filter((entry): entry is [string, string] => entry[1] !== null).map(([feed, error]) => ({ feed, error }));
}

/** What is new since the previous digest, per digest topic (the same relevance check as /ask), and which feeds failed. */
export async function findWhatsNew(
  deps: { paperbot: Pick<Paperbot, 'search' | 'papers'>; fetchRuns?: FetchRunStore | undefined },
  input: { topics: readonly string[]; previous: PreviousDigest | undefined; now: number },
): Promise<WhatsNew> {
  const papers = await deps.paperbot.papers();
  const since = input.previous?.postedAt ?? input.now - WEEK_MS;
  const runs = deps.fetchRuns ? await deps.fetchRuns.completedRunsSince(since) : [];
  let added: Set<string>;
  if (input.previous) {
    const known = new Set(input.previous.paperIds);
    added = new Set(papers.filter((paper) => !known.has(paper.id)).map((paper) => paper.id));
  } else {
    const present = new Set(papers.map((paper) => paper.id));
    added = new Set(runs.flatMap((run) => run.outcome?.newPaperIds ?? []).filter((id) => present.has(id)));
  }
  const byTopic = [];
  for (const topic of input.topics.slice(0, MAX_TOPICS)) byTopic.push({ topic, papers: await matchNewPapers(deps.paperbot, topic, added) });
  return { addedCount: added.size, byTopic, failedFeeds: stillFailing(runs) };
}

function topicLines(papers: readonly Paper[]): string[] {
  if (papers.length === 0) return ['Nothing new on this topic.'];
  const lines = papers.slice(0, MAX_PER_TOPIC).map(newPaperLine);
  if (papers.length > MAX_PER_TOPIC) lines.push(`…and ${papers.length - MAX_PER_TOPIC} more.`);
  return lines;
}

/** The digest's lead: the new papers per topic, or that there are none; failed feeds named. */
export function whatsNewEmbeds(news: WhatsNew, totalTopics: number, firstDigest: boolean): APIEmbed[] {
  const matched = new Set(news.byTopic.flatMap((t) => t.papers.map((p) => p.id))).size;
  const description =
    news.addedCount === 0
      ? firstDigest
        ? 'No papers were fetched in the past week.'
        : 'Nothing new since the last digest.'
      : `${news.addedCount} paper${news.addedCount === 1 ? '' : 's'} added since the last digest; ${matched} on the digest's topics.`;
  const fields = news.addedCount === 0 ? [] : news.byTopic.flatMap(({ topic, papers }) => linesToFields(truncate(`${asPlainText(topic)} (${papers.length})`, L.fieldName), topicLines(papers)));
  if (totalTopics > news.byTopic.length) fields.push({ name: 'Other topics', value: `${totalTopics - news.byTopic.length} more topics are not listed.` });
  if (news.failedFeeds.length > 0) {
    fields.push(...linesToFields('Feeds that failed (retried at the next fetch)', news.failedFeeds.map((f) => `• ${asPlainText(f.feed)}: ${asPlainText(truncate(f.error, 200))}`)));
  }
  const embeds: APIEmbed[] = [{ title: 'New since the last digest', description, color: COLORS.info }];
  appendFields(embeds, fields, COLORS.info);
  return embeds;
}
