import type { PaperEntry } from '../../corpus/paper.js';
import { UserFacingError } from '../../errors.js';
import type { SettingsStore } from '../../state/settings-store.js';
import type { Clock } from '../clock.js';
import { nextScheduledAt, validateSchedule } from './digest-schedule.js';
import { discoverTopics } from './discover-topics.js';

/** The digest settings from the environment (DIGEST_*); persisted settings override them. */
export interface DigestConfig {
  channelId: string | undefined;
  cron: string;
  timezone: string;
  /** Configured topics; empty → discovered from the corpus. */
  topics: string[];
}

export interface DigestSettings {
  channelId: string | undefined;
  /** Configured topics, or the discovered ones when none are configured. */
  topics: string[];
  topicsSource: 'settings' | 'environment' | 'discovered';
  cron: string;
  timezone: string;
  /** Next scheduled time (ms), for /digest status lines. */
  nextRunAt: number | null;
}

/** The digest's setup (channel, topics and their rotation, schedule): persisted settings over the configuration. */
export interface DigestSetup {
  current(): Promise<DigestSettings>;
  schedule(): Promise<{ cron: string; timezone: string }>;
  channelId(): Promise<string | undefined>;
  /** The next digest's topic and its place in the rotation. */
  nextTopic(): Promise<{ topic: string; index: number }>;
  /** After a digest on the topic at `index`: the next one takes the following topic. */
  advanceRotation(index: number): Promise<void>;
  /** Since when the current schedule runs (slots before it are never "missed"); now, if never set. */
  activeSince(): Promise<number>;
  /** Record the start of the schedule on first use. */
  ensureActiveSince(): Promise<void>;
  setChannel(channelId: string): Promise<void>;
  /** Empty → back to configured/discovered topics. */
  setTopics(topics: string[]): Promise<void>;
  /** Throws UserFacingError on a bad pattern or time zone; the new schedule starts now. */
  setSchedule(cron: string, timezone: string): Promise<void>;
}

export function createDigestSetup(deps: { settings: SettingsStore; config: DigestConfig; clock: Clock; papers: () => Promise<readonly PaperEntry[]> }): DigestSetup {
  const { settings, config, clock } = deps;

  const topics = async (): Promise<Pick<DigestSettings, 'topics' | 'topicsSource'>> => {
    const stored = (await settings.get('digest.topics')) ?? [];
    if (stored.length > 0) return { topics: stored, topicsSource: 'settings' };
    if (config.topics.length > 0) return { topics: config.topics, topicsSource: 'environment' };
    return { topics: discoverTopics(await deps.papers()), topicsSource: 'discovered' };
  };

  const schedule = async () => ({
    cron: (await settings.get('digest.cron')) ?? config.cron,
    timezone: (await settings.get('digest.timezone')) ?? config.timezone,
  });

  const channelId = async () => (await settings.get('digest.channelId')) ?? config.channelId;

  return {
    async current() {
      const { cron, timezone } = await schedule();
      let nextRunAt: number | null = null;
      try {
        nextRunAt = nextScheduledAt(cron, timezone, clock.now());
      } catch {
        nextRunAt = null;
      }
      return { channelId: await channelId(), ...(await topics()), cron, timezone, nextRunAt };
    },
    schedule,
    channelId,
    async nextTopic() {
      const list = (await topics()).topics;
      if (list.length === 0) throw new UserFacingError('no-topics', 'No digest topics: set some with /digest topics.');
      const index = ((await settings.get('digest.topicIndex')) ?? 0) % list.length;
      return { topic: list[index] as string, index };
    },
    advanceRotation: (index) => settings.set('digest.topicIndex', index + 1),
    activeSince: async () => (await settings.get('digest.activeSince')) ?? clock.now(),
    async ensureActiveSince() {
      if ((await settings.get('digest.activeSince')) === undefined) await settings.set('digest.activeSince', clock.now());
    },
    setChannel: (id) => settings.set('digest.channelId', id),
    async setTopics(list) {
      const clean = list.map((topic) => topic.trim()).filter(Boolean);
      if (clean.length === 0) await settings.delete('digest.topics');
      else await settings.set('digest.topics', clean);
      await settings.set('digest.topicIndex', 0);
    },
    async setSchedule(cron, timezone) {
      validateSchedule(cron, timezone);
      await settings.set('digest.cron', cron);
      await settings.set('digest.timezone', timezone);
      // A new schedule starts now: it does not count earlier slots as missed.
      await settings.set('digest.activeSince', clock.now());
    },
  };
}
