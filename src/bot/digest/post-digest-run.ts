import type { Logger } from '../../app/logger.js';
import { UserFacingError } from '../../errors.js';
import type { DigestDraft, DigestRunKind, DigestStore } from '../../state/digest-store.js';
import type { Clock } from '../clock.js';
import type { BotMessagePayload } from '../format-answer.js';
import type { ComposedDigest } from './compose-digest.js';
import { ClaimLostError, DIGEST_CLAIM_LEASE_MS, holdClaim, type HeldClaim } from './digest-claim.js';
import type { DigestSetup } from './digest-setup.js';

/**
 * Posts payloads to a channel, in order; returns the first message's id. The digest calls it with one
 * payload at a time, recording each message before sending the next, so a failed run resumes where it stopped.
 */
export type PostToChannel = (channelId: string, payloads: BotMessagePayload[]) => Promise<string | null>;

export interface DigestOutcome {
  posted: boolean;
  reason?: 'already-posted' | 'in-progress' | 'no-channel' | 'not-due';
  /** 'in-progress': when the other owner's claim expires (then the run is worth checking again). */
  retryAt?: number;
  topic?: string;
  channelId?: string;
  newPapers?: number;
}

export interface DigestRun {
  runKey: string;
  kind: DigestRunKind;
  scheduledFor: number | null;
}

export interface DigestRunDeps {
  digests: DigestStore;
  setup: DigestSetup;
  /** The digest's messages on a topic (a summary + the papers new since the last digest). */
  compose: (topic: string) => Promise<ComposedDigest>;
  post: PostToChannel;
  clock: Clock;
  logger: Logger;
  /** This service's id in the claims it takes. */
  owner: string;
}

/** The run's saved draft (a run that failed part-way), or a newly composed one on the next topic. */
async function loadOrComposeDraft(deps: DigestRunDeps, run: DigestRun, channelId: string, claim: HeldClaim): Promise<DigestDraft> {
  const saved = await deps.digests.getDraft(run.runKey);
  if (saved) {
    const done = saved.parts.filter((part) => part.postedAt !== null).length;
    deps.logger.info({ event: 'digest-resumed', runKey: run.runKey, postedParts: done, remainingParts: saved.parts.length - done }, 'resuming a digest that failed part-way');
    return saved;
  }
  const { topic, index } = await deps.setup.nextTopic();
  const { payloads, paperIds, newCount } = await deps.compose(topic);
  await claim.confirm();
  return deps.digests.saveDraft({ runKey: run.runKey, kind: run.kind, topic, topicIndex: index, channelId, paperIds, newCount, payloads }, deps.clock.now());
}

/** Send the parts not posted yet, in order, recording each before the next; returns the first message's id. */
async function postMissingParts(deps: DigestRunDeps, draft: DigestDraft, claim: HeldClaim): Promise<string | null> {
  let firstMessageId: string | null = null;
  for (const part of draft.parts) {
    if (part.postedAt === null) {
      await claim.confirm();
      part.messageId = await deps.post(draft.channelId, [part.payload as BotMessagePayload]);
      part.postedAt = deps.clock.now();
      await deps.digests.markPartPosted(draft.runKey, part.index, part.messageId, part.postedAt);
    }
    firstMessageId ??= part.messageId;
  }
  return firstMessageId;
}

/**
 * Post one digest run: claim (with a lease kept fresh) → resume its saved draft or compose one → post
 * each missing part → complete and advance the topic rotation. A failure gives the claim up so a later
 * trigger retries; parts already posted are not sent again.
 */
export async function postDigestRun(deps: DigestRunDeps, run: DigestRun): Promise<DigestOutcome> {
  const { digests, clock, logger, owner } = deps;
  const channelId = (await digests.getDraft(run.runKey))?.channelId ?? (await deps.setup.channelId());
  if (!channelId) {
    if (run.kind === 'manual') throw new UserFacingError('no-digest-channel', 'No digest channel is set. An admin can set one with /digest channel.');
    logger.warn({ event: 'digest-skipped', runKey: run.runKey }, 'digest due but no channel set (DIGEST_CHANNEL_ID or /digest channel)');
    return { posted: false, reason: 'no-channel' };
  }
  const claimed = await digests.claimRun({ ...run, owner, at: clock.now(), leaseMs: DIGEST_CLAIM_LEASE_MS });
  if (!claimed.claimed) return claimed.reason === 'posted' ? { posted: false, reason: 'already-posted' } : { posted: false, reason: 'in-progress', retryAt: claimed.leaseUntil };
  const claim = holdClaim(deps, run.runKey, owner);
  try {
    const draft = await loadOrComposeDraft(deps, run, channelId, claim);
    const messageId = await postMissingParts(deps, draft, claim);
    const { topic, topicIndex, paperIds, newCount } = draft;
    if (!(await digests.completeRun(run.runKey, owner, { topic, channelId: draft.channelId, messageId, paperIds }, clock.now()))) throw new ClaimLostError(run.runKey);
    await deps.setup.advanceRotation(topicIndex);
    logger.info({ event: 'digest-posted', runKey: run.runKey, topic, channelId: draft.channelId, newPapers: newCount, parts: draft.parts.length }, 'digest posted');
    return { posted: true, topic, channelId: draft.channelId, newPapers: newCount };
  } catch (error) {
    await digests.abandonRun(run.runKey, owner).catch((abandonError: unknown) => logger.warn({ err: abandonError, event: 'digest-abandon-failed' }, 'could not give up the digest claim'));
    throw error;
  } finally {
    claim.release();
  }
}
