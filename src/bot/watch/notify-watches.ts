import type { MessageCreateOptions } from 'discord.js';
import type { Logger } from '../../app/logger.js';
import type { Paperbot } from '../../app/paperbot.js';
import type { Paper } from '../../corpus/paper.js';
import type { FetchRunOutcome } from '../../state/fetch-run-store.js';
import type { Watch, WatchStore } from '../../state/watch-store.js';
import type { Clock } from '../clock.js';
import { matchNewPapers } from '../fetch/match-new-papers.js';
import { formatWatchNotice } from './watch-notice.js';

/** Delivers one notice: to the channel (scope channel) or by DM to the user (scope user). */
export type SendWatchNotice = (watch: Watch, message: MessageCreateOptions) => Promise<void>;

/**
 * After a fetch: for every watch whose topic matches some of the new papers (the relevance check of
 * /ask), one notice listing them. Each (watch, fetch) notice is claimed in the state first, so it is
 * sent at most once even if the fetch is retried or another process runs it. A failed send is logged.
 */
export function createWatchNotifier(deps: { paperbot: Pick<Paperbot, 'search'>; watches: WatchStore; send: SendWatchNotice; clock: Clock; logger: Logger }) {
  const { watches, clock, logger } = deps;
  return async (outcome: FetchRunOutcome, runKey: string): Promise<number> => {
    const ids = new Set(outcome.newPaperIds);
    if (ids.size === 0) return 0;
    const matches = new Map<string, Paper[]>();
    let sent = 0;
    for (const watch of await watches.all()) {
      const key = watch.topic.toLowerCase();
      let papers = matches.get(key);
      if (!papers) matches.set(key, (papers = await matchNewPapers(deps.paperbot, watch.topic, ids)));
      if (papers.length === 0 || !(await watches.claimNotice(watch.id, runKey, clock.now()))) continue;
      try {
        await deps.send(watch, formatWatchNotice(watch, papers));
        sent += 1;
        logger.info({ event: 'watch-notice-sent', watchId: watch.id, scope: watch.scope, papers: papers.length, runKey }, 'watch notice sent');
      } catch (error) {
        logger.warn({ err: error, event: 'watch-notice-failed', watchId: watch.id, scope: watch.scope, runKey }, 'could not send a watch notice');
      }
    }
    return sent;
  };
}
