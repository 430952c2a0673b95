import { truncate } from '../split-text.js';
import type { DigestSettings } from './digest-setup.js';
import type { DigestOutcome } from './post-digest-run.js';

/** The topic list shown in /digest status lines is cut to this many characters. */
const TOPICS_SHOWN_CHARS = 1500;

/** The status lines of /digest channel|topics|schedule. */
export function describeDigestSettings(settings: DigestSettings): string {
  const next = settings.nextRunAt === null ? 'never' : `<t:${Math.floor(settings.nextRunAt / 1000)}:F>`;
  return [
    `**Channel:** ${settings.channelId ? `<#${settings.channelId}>` : 'not set'}`,
    `**Schedule:** \`${settings.cron}\` (${settings.timezone}) — next: ${next}`,
    `**Topics** (${settings.topicsSource}): ${truncate(settings.topics.join('; ') || 'none', TOPICS_SHOWN_CHARS)}`,
  ].join('\n');
}

/** What /digest now did. */
export function describeDigestOutcome(outcome: DigestOutcome): string {
  if (outcome.posted) return `Posted the digest on “${outcome.topic}” to <#${outcome.channelId}>${outcome.newPapers ? ` (${outcome.newPapers} new papers)` : ''}.`;
  if (outcome.reason === 'in-progress') return 'That digest is being posted right now by another bot process; check the channel in a few minutes.';
  return 'No digest was posted.';
}
