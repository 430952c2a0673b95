import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CronScheduler } from '../../src/bot/digest/digest-schedule.js';
import { dueScheduledRun, lastScheduledAt, validateSchedule } from '../../src/bot/digest/digest-schedule.js';
import { DIGEST_CLAIM_LEASE_MS, DIGEST_CLAIM_RENEW_MS } from '../../src/bot/digest/digest-claim.js';
import { createDigestService, type DigestConfig, type PostToChannel } from '../../src/bot/digest/digest-service.js';
import type { BotMessagePayload } from '../../src/bot/format-answer.js';
import { stateDatabasePath } from '../../src/state/sqlite/open-state-database.js';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import { UserFacingError } from '../../src/errors.js';
import { createFakePaperbot, fakePaper, type FakePaperbot } from '../support/fake-paperbot.js';
import { loadTestCorpus } from '../support/load-test-corpus.js';
import { FakeClock } from './fake-clock.js';
import { LogRecorder } from './log-recorder.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 6 January 2025, 08:00 UTC — one hour before the default "0 9 * * 1".
const MONDAY_8AM = Date.UTC(2025, 0, 6, 8, 0, 0);
const MONDAY_9AM = MONDAY_8AM + HOUR;

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function digestConfig(overrides: Partial<DigestConfig> = {}): DigestConfig {
  return { channelId: '111111111111111111', cron: '0 9 * * 1', timezone: 'UTC', topics: ['diffusion', 'language models'], ...overrides };
}

/** One Discord message sent by the fake post. */
interface Posted {
  channelId: string;
  payload: BotMessagePayload;
  at: number;
}

interface HarnessOptions {
  file?: string;
  config?: Partial<DigestConfig>;
  paperbot?: FakePaperbot;
  clock?: FakeClock;
  /** Fail the next N post calls outright. */
  failPosts?: number;
  /** Fail (like a Discord 5xx) the message sends with these 1-based attempt numbers, counting every send tried. */
  failSends?: number[];
  /** Never settle the send with this 1-based attempt number (a crash mid-post). */
  hangSend?: number;
}

function harness(options: HarnessOptions = {}) {
  let file = options.file;
  if (!file) {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-digest-'));
    dirs.push(dir);
    file = stateDatabasePath(dir);
  }
  const state = openSqliteStateStores(file);
  const clock = options.clock ?? new FakeClock(MONDAY_8AM);
  const paperbot = options.paperbot ?? createFakePaperbot();
  const posted: Posted[] = [];
  const sent = new Set<() => void>();
  /** Resolves once `count` messages were sent. */
  const waitForPosts = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (posted.length < count) return;
        sent.delete(check);
        resolve();
      };
      sent.add(check);
      check();
    });
  let failures = options.failPosts ?? 0;
  let sends = 0;
  const calls: number[] = [];
  // Sends payloads one by one like create-bot's post, so a failure can hit message 2 of 3.
  const post: PostToChannel = async (channelId, payloads) => {
    calls.push(payloads.length);
    if (failures > 0) {
      failures--;
      throw new Error('Discord is down');
    }
    let firstId: string | null = null;
    for (const payload of payloads) {
      sends++;
      if (options.failSends?.includes(sends)) throw new Error('Discord returned 503 Service Unavailable');
      if (options.hangSend === sends) await new Promise(() => undefined);
      posted.push({ channelId, payload, at: clock.now() });
      for (const check of [...sent]) check();
      firstId ??= `msg-${posted.length}`;
    }
    return firstId;
  };
  const schedules: { pattern: string; timezone: string; stopped: boolean; onTick: () => void }[] = [];
  const scheduler: CronScheduler = (pattern, timezone, onTick) => {
    const entry = { pattern, timezone, stopped: false, onTick };
    schedules.push(entry);
    return { stop: () => (entry.stopped = true) };
  };
  const logs = new LogRecorder();
  const service = createDigestService({ paperbot, digests: state.digests, settings: state.settings, config: digestConfig(options.config), clock, logger: logs.logger, post, scheduler });
  /** Resolves when the `count`-th scheduled check (cron tick, start-up, retry) has finished. */
  const checked = (count: number) => logs.waitFor('digest-check', count);
  return { service, state, digests: state.digests, file, clock, paperbot, posted, schedules, calls, logs, checked, waitForPosts };
}

/** The digest's summary title (the lead embed lists what is new). */
const titleOf = (p: Posted) => (p.payload.embeds.find((e) => /^Weekly digest/.test(e.title ?? '')) ?? p.payload.embeds[0]!).title;
const MINUTE = 60_000;
/** Let every pending promise job run (the fakes do no I/O), to check that nothing further happens. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A fake summary that waits for `release()`; `entered` resolves when the summary was asked for. */
function gatedPaperbot() {
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const started = new Promise<void>((resolve) => (entered = resolve));
  const paperbot = createFakePaperbot({
    answer: async (kind, input) => {
      entered();
      await gate;
      return { answer: `${kind}: ${input.join(' / ')} [1]`, sources: [], mode: 'llm', refused: false, usage: null };
    },
  });
  return { paperbot, release, started };
}

/** A summary long enough to be split into several Discord messages (embeds pack at 6000 characters). */
function longDigestPaperbot(): FakePaperbot {
  return createFakePaperbot({
    answer: (kind, input) => ({
      answer: Array.from({ length: 400 }, (_, i) => `Sentence ${i + 1} of the ${kind} about ${input.join(' / ')} [1].`).join(' '),
      sources: [{ n: 1, id: 'lora', title: 'LoRA', url: 'https://papers.example/lora' }],
      mode: 'llm',
      refused: false,
      usage: null,
    }),
  });
}

/** The description text of each message (posted, or a stored draft part), to compare what was posted with what was composed. */
const textOf = (payload: unknown) => (payload as BotMessagePayload).embeds.map((e) => `${e.title ?? ''}|${e.description ?? ''}`).join('\n');

describe('digest schedule maths (croner)', () => {
  it('finds the last scheduled time at or before now, in the configured time zone', () => {
    expect(lastScheduledAt('0 9 * * 1', 'UTC', MONDAY_9AM + 1)).toBe(MONDAY_9AM);
    expect(lastScheduledAt('0 9 * * 1', 'UTC', MONDAY_9AM - 1)).toBe(MONDAY_9AM - 7 * DAY);
    // Berlin is UTC+1 in January: 09:00 there is 08:00 UTC.
    expect(lastScheduledAt('0 9 * * 1', 'Europe/Berlin', MONDAY_9AM)).toBe(MONDAY_8AM);
  });

  it('a run is due only from the time the digest was set up', () => {
    expect(dueScheduledRun({ pattern: '0 9 * * 1', timezone: 'UTC', now: MONDAY_9AM + DAY, activeSince: MONDAY_8AM })).toBe(MONDAY_9AM);
    expect(dueScheduledRun({ pattern: '0 9 * * 1', timezone: 'UTC', now: MONDAY_9AM + DAY, activeSince: MONDAY_9AM + HOUR })).toBeNull();
  });

  it('tolerates a timer that fires a moment early', () => {
    expect(dueScheduledRun({ pattern: '0 9 * * 1', timezone: 'UTC', now: MONDAY_9AM - 300, activeSince: 0 })).toBe(MONDAY_9AM);
  });

  it('rejects bad patterns and time zones with a user-facing message', () => {
    expect(() => validateSchedule('not a cron', 'UTC')).toThrow(UserFacingError);
    expect(() => validateSchedule('0 9 * * 1', 'Mars/Olympus')).toThrow(/time zone/);
    expect(() => validateSchedule('0 9 * * 1', 'Europe/Berlin')).not.toThrow();
  });
});

describe('digest service', () => {
  it('posts once when the schedule fires; further ticks at the same slot do nothing', async () => {
    const h = harness();
    await h.service.start();
    expect(h.posted).toHaveLength(0);
    expect(h.schedules).toHaveLength(1);
    expect(h.schedules[0]).toMatchObject({ pattern: '0 9 * * 1', timezone: 'UTC' });
    h.clock.set(MONDAY_9AM);
    expect(await h.service.tick()).toMatchObject({ posted: true, topic: 'diffusion', channelId: '111111111111111111' });
    expect(await h.service.tick()).toMatchObject({ posted: false, reason: 'already-posted' });
    expect(h.posted).toHaveLength(1);
    expect(titleOf(h.posted[0]!)).toBe('Weekly digest: diffusion');
    expect(h.paperbot.calls.filter((c) => c.kind === 'summarize').map((c) => c.input[0])).toEqual(['diffusion']);
  });

  it('a run missed while the bot was down is posted once on start-up, and not again after another restart', async () => {
    const first = harness();
    await first.service.start();
    await first.service.stop();
    await first.state.close();

    // Down over Monday 09:00; back on Tuesday.
    const clock = new FakeClock(MONDAY_9AM + DAY);
    const second = harness({ file: first.file, clock });
    await second.service.start();
    expect(second.posted).toHaveLength(1);
    expect(titleOf(second.posted[0]!)).toBe('Weekly digest: diffusion');
    await second.service.stop();
    await second.state.close();

    clock.set(MONDAY_9AM + 2 * DAY);
    const third = harness({ file: first.file, clock });
    await third.service.start();
    expect(third.posted).toHaveLength(0);

    // The next week's run is posted normally, with the next topic.
    clock.set(MONDAY_9AM + 7 * DAY);
    expect(await third.service.tick()).toMatchObject({ posted: true, topic: 'language models' });
  });

  it('several missed runs collapse into one post', async () => {
    const first = harness();
    await first.service.start();
    await first.state.close();
    const second = harness({ file: first.file, clock: new FakeClock(MONDAY_9AM + 22 * DAY) });
    await second.service.start();
    expect(second.posted).toHaveLength(1);
    expect(await second.service.tick()).toMatchObject({ posted: false, reason: 'already-posted' });
  });

  it('the very first start does not post for a slot before the digest existed', async () => {
    const h = harness({ clock: new FakeClock(MONDAY_9AM + DAY) });
    await h.service.start();
    expect(h.posted).toHaveLength(0);
  });

  it('rotates one topic per run', async () => {
    const h = harness({ config: { topics: ['a', 'b', 'c'] } });
    await h.service.start();
    const topics: string[] = [];
    for (let week = 0; week < 4; week++) {
      h.clock.set(MONDAY_9AM + week * 7 * DAY);
      topics.push((await h.service.tick()).topic!);
    }
    expect(topics).toEqual(['a', 'b', 'c', 'a']);
  });

  it('leads with the papers added since the last digest that match each topic; a week with nothing new says so', async () => {
    const h = harness();
    await h.service.start();
    h.clock.set(MONDAY_9AM);
    await h.service.tick();
    const lead = (p: Posted) => p.payload.embeds[0]!;
    expect(lead(h.posted[0]!)).toMatchObject({ title: 'New since the last digest', description: 'No papers were fetched in the past week.' });

    h.paperbot.papersList.push(fakePaper('new-diffusion', 'Diffusion Transformers for Molecules'), fakePaper('new-other', 'A Brand New Paper on Knitting'));
    h.clock.set(MONDAY_9AM + 7 * DAY);
    expect(await h.service.tick()).toMatchObject({ posted: true, newPapers: 2 });
    const secondRun = h.posted.slice(1);
    expect(lead(secondRun[0]!).title).toBe('New since the last digest');
    expect(lead(secondRun[0]!).description).toBe("2 papers added since the last digest; 1 on the digest's topics.");
    const fields = lead(secondRun[0]!).fields!;
    expect(fields[0]!.name).toBe('diffusion (1)');
    expect(fields[0]!.value).toMatch(/^• \[Diffusion Transformers for Molecules\]\(https:\/\/papers\.example\/new-diffusion\) — Diffusion Transformers for Molecules\.$/);
    expect(fields[1]).toEqual({ name: 'language models (0)', value: 'Nothing new on this topic.' });
    expect(JSON.stringify(fields)).not.toContain('Knitting');
    expect(titleOf(secondRun[0]!)).toBe('Weekly digest: language models');
    for (const message of secondRun) expect(message.payload.allowedMentions).toEqual({ parse: [] });

    h.clock.set(MONDAY_9AM + 14 * DAY);
    await h.service.tick();
    expect(lead(h.posted.at(-1)!)).toMatchObject({ description: 'Nothing new since the last digest.' });
  });

  it('preview neither posts nor advances the rotation; /digest now posts outside the schedule', async () => {
    const h = harness({ config: { topics: ['a', 'b'] } });
    await h.service.start();
    expect((await h.service.preview()).topic).toBe('a');
    expect((await h.service.preview()).topic).toBe('a');
    expect(h.posted).toHaveLength(0);
    expect(await h.service.runNow()).toMatchObject({ posted: true, topic: 'a' });
    expect(await h.service.runNow()).toMatchObject({ posted: true, topic: 'b' });
    // Manual runs do not use up the scheduled slot.
    h.clock.set(MONDAY_9AM);
    expect(await h.service.tick()).toMatchObject({ posted: true });
    expect(h.posted).toHaveLength(3);
  });

  it('a failed post is retried by the next trigger instead of being marked done', async () => {
    const h = harness({ failPosts: 1 });
    await h.service.start();
    h.clock.set(MONDAY_9AM);
    await expect(h.service.tick()).rejects.toThrow(/Discord is down/);
    expect(await h.service.tick()).toMatchObject({ posted: true });
    expect(h.posted).toHaveLength(1);
  });

  it('without a channel, scheduled runs are skipped (not recorded) and /digest now explains', async () => {
    const h = harness({ config: { channelId: undefined } });
    await h.service.start();
    h.clock.set(MONDAY_9AM);
    expect(await h.service.tick()).toMatchObject({ posted: false, reason: 'no-channel' });
    await expect(h.service.runNow()).rejects.toThrow(/digest channel/);
    h.service.setChannel('222222222222222222');
    expect(await h.service.tick()).toMatchObject({ posted: true, channelId: '222222222222222222' });
  });

  it('persisted settings override the environment and survive a restart', async () => {
    const h = harness();
    await h.service.start();
    await h.service.setChannel('333333333333333333');
    await h.service.setTopics(['agents', ' ', 'robots']);
    await h.service.setSchedule({ cron: '30 18 * * 5', timezone: 'Europe/Berlin' });
    await expect(h.service.setSchedule({ cron: 'nope' })).rejects.toThrow(UserFacingError);
    await expect(h.service.setSchedule({ timezone: 'Mars/Olympus' })).rejects.toThrow(/time zone/);
    expect(h.schedules.at(-1)).toMatchObject({ pattern: '30 18 * * 5', timezone: 'Europe/Berlin' });
    expect(h.schedules[0]!.stopped).toBe(true);
    await h.state.close();
    const again = harness({ file: h.file, clock: h.clock });
    const settings = await again.service.settings();
    expect(settings).toMatchObject({ channelId: '333333333333333333', topics: ['agents', 'robots'], topicsSource: 'settings', cron: '30 18 * * 5', timezone: 'Europe/Berlin' });
    await again.service.setTopics([]);
    expect((await again.service.settings()).topicsSource).toBe('environment');
    // Only the given part of a schedule changes.
    await again.service.setSchedule({ timezone: 'UTC' });
    expect(await again.service.settings()).toMatchObject({ cron: '30 18 * * 5', timezone: 'UTC' });
  });

  it('changing the schedule does not treat earlier slots of the new pattern as missed', async () => {
    const h = harness({ clock: new FakeClock(MONDAY_9AM + 2 * DAY + HOUR / 2) });
    await h.service.start();
    await h.service.setSchedule({ cron: '0 * * * *' }); // hourly: the slot an hour ago predates the change
    expect(await h.service.tick()).toMatchObject({ posted: false, reason: 'not-due' });
    h.clock.advance(HOUR);
    expect(await h.service.tick()).toMatchObject({ posted: true });
  });

  it('discovers topics from the corpus when none are configured', async () => {
    const h = harness({ config: { topics: [] }, paperbot: createFakePaperbot({ papers: loadTestCorpus() }) });
    const settings = await h.service.settings();
    expect(settings.topicsSource).toBe('discovered');
    expect(settings.topics.length).toBeGreaterThan(0);
    await h.service.start();
    expect((await h.service.runNow()).topic).toBe(settings.topics[0]);
  });

  it('a claim left by a crash mid-post is taken over at start-up once its lease has expired', async () => {
    const first = harness();
    await first.service.start();
    const runKey = `scheduled:${new Date(MONDAY_9AM).toISOString()}`;
    expect(await first.digests.claimRun({ runKey, kind: 'scheduled', scheduledFor: MONDAY_9AM, owner: 'crashed', at: MONDAY_9AM, leaseMs: DIGEST_CLAIM_LEASE_MS })).toEqual({ claimed: true });
    await first.state.close();
    const second = harness({ file: first.file, clock: new FakeClock(MONDAY_9AM + HOUR) });
    await second.service.start();
    expect(second.posted).toHaveLength(1);
  });

  it('the cron callback triggers a tick', async () => {
    const h = harness();
    await h.service.start();
    h.clock.set(MONDAY_9AM);
    h.schedules[0]!.onTick();
    await h.checked(2);
    expect(h.posted).toHaveLength(1);
  });

  it('stop() waits for a scheduled digest being written, then for nothing; no tick runs after stop', async () => {
    const { paperbot, release, started } = gatedPaperbot();
    const h = harness({ paperbot });
    await h.service.start();
    h.clock.set(MONDAY_9AM);
    h.schedules[0]!.onTick();
    await started;
    expect(h.paperbot.calls.filter((c) => c.kind === 'summarize')).toHaveLength(1);
    let stopped: boolean | undefined;
    const stopping = h.service.stop(5_000).then((result) => (stopped = result));
    await settle();
    expect(stopped).toBeUndefined();
    expect(h.posted).toHaveLength(0);
    release();
    await stopping;
    expect(stopped).toBe(true);
    expect(h.posted).toHaveLength(1);
    expect(h.schedules[0]!.stopped).toBe(true);
    // A timer firing after stop does nothing.
    h.clock.set(MONDAY_9AM + 7 * DAY);
    h.schedules[0]!.onTick();
    await settle();
    expect(h.paperbot.calls.filter((c) => c.kind === 'summarize')).toHaveLength(1);
  });

  it('stop() gives up on a hanging digest after its timeout (on the service clock)', async () => {
    const { paperbot, started } = gatedPaperbot();
    const h = harness({ paperbot });
    await h.service.start();
    h.clock.set(MONDAY_9AM);
    void h.service.tick();
    await started;
    let stopped: boolean | undefined;
    const stopping = h.service.stop(5_000).then((result) => (stopped = result));
    await settle();
    expect(stopped).toBeUndefined();
    h.clock.advance(4_999);
    await settle();
    expect(stopped).toBeUndefined();
    h.clock.advance(1);
    await stopping;
    expect(stopped).toBe(false);
    expect(h.posted).toHaveLength(0);
  });
});

describe('digest runs that fail part-way or transiently', () => {
  it('a digest that fails at message 2 is resumed: the retry posts only the missing messages, in order', async () => {
    const h = harness({ paperbot: longDigestPaperbot(), failSends: [2] });
    await h.service.start();
    h.clock.set(MONDAY_9AM);
    await expect(h.service.tick()).rejects.toThrow(/503/);
    expect(h.posted).toHaveLength(1);
    const runKey = `scheduled:${new Date(MONDAY_9AM).toISOString()}`;
    const draft = (await h.digests.getDraft(runKey))!;
    expect(draft.parts.length).toBeGreaterThanOrEqual(3);
    expect(draft.parts.map((part) => part.messageId)).toEqual(['msg-1', ...draft.parts.slice(1).map(() => null)]);

    expect(await h.service.tick()).toMatchObject({ posted: true, topic: 'diffusion' });
    // Every composed message exactly once, in order; the summary was written once.
    expect(h.posted.map((p) => textOf(p.payload))).toEqual(draft.parts.map((part) => textOf(part.payload)));
    expect(h.paperbot.calls.filter((c) => c.kind === 'summarize')).toHaveLength(1);
    const run = await h.digests.getRun(runKey);
    expect(run).toMatchObject({ status: 'posted', messageId: 'msg-1', topic: 'diffusion' });
    expect((await h.digests.getDraft(runKey))!.parts.every((part) => part.postedAt !== null)).toBe(true);
    // The rotation advanced once.
    h.clock.set(MONDAY_9AM + 7 * DAY);
    expect(await h.service.tick()).toMatchObject({ posted: true, topic: 'language models' });
  });

  it('a manual digest that failed part-way is finished by the next /digest now, not re-posted', async () => {
    const h = harness({ paperbot: longDigestPaperbot(), failSends: [3], config: { topics: ['a', 'b'] } });
    await h.service.start();
    await expect(h.service.runNow()).rejects.toThrow(/503/);
    expect(h.posted).toHaveLength(2);
    expect(await h.service.runNow()).toMatchObject({ posted: true, topic: 'a' });
    const titles = h.posted.map((p) => titleOf(p)).filter(Boolean);
    expect(titles).toEqual(['Weekly digest: a']);
    expect(await h.service.runNow()).toMatchObject({ posted: true, topic: 'b' });
  });

  it('a transient failure of a scheduled run is retried after 5 minutes on the service clock', async () => {
    const h = harness({ failPosts: 1 });
    await h.service.start();
    h.clock.set(MONDAY_9AM);
    h.schedules[0]!.onTick();
    await h.checked(2);
    expect(h.posted).toHaveLength(0);
    expect(h.clock.pendingTimers).toBe(1);
    h.clock.advance(5 * MINUTE - 1);
    expect(h.logs.count('digest-check')).toBe(2);
    h.clock.advance(1);
    await h.checked(3);
    expect(h.posted).toHaveLength(1);
    expect(titleOf(h.posted[0]!)).toBe('Weekly digest: diffusion');
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('retries back off (5, 15, 45 minutes) and stop after 3 tries', async () => {
    const h = harness({ failPosts: 10 });
    await h.service.start();
    h.clock.set(MONDAY_9AM);
    h.schedules[0]!.onTick();
    await h.checked(2);
    const attemptsAt: number[] = [];
    for (const [i, minutes] of [5, 15, 45].entries()) {
      const before = h.calls.length;
      h.clock.advance(minutes * MINUTE - 1);
      expect(h.calls.length).toBe(before);
      h.clock.advance(1);
      await h.checked(3 + i);
      expect(h.calls.length).toBe(before + 1);
      attemptsAt.push(h.clock.now());
    }
    expect(attemptsAt).toEqual([MONDAY_9AM + 5 * MINUTE, MONDAY_9AM + 20 * MINUTE, MONDAY_9AM + 65 * MINUTE]);
    expect(h.clock.pendingTimers).toBe(0);
    expect(h.calls).toHaveLength(4);
    expect(h.posted).toHaveLength(0);
  });

  it('a failed missed run at start-up is retried too; stop() cancels a pending retry', async () => {
    const first = harness();
    await first.service.start();
    await first.state.close();
    const second = harness({ file: first.file, clock: new FakeClock(MONDAY_9AM + HOUR), failPosts: 1 });
    await second.service.start();
    expect(second.clock.pendingTimers).toBe(1);
    expect(await second.service.stop()).toBe(true);
    expect(second.clock.pendingTimers).toBe(0);
    second.clock.advance(HOUR);
    expect(second.logs.count('digest-check')).toBe(1);
    expect(second.calls).toHaveLength(1);
    expect(second.posted).toHaveLength(0);
  });

  it('a retry racing a cron tick for the same slot posts once', async () => {
    const h = harness({ failPosts: 1 });
    await h.service.start();
    h.clock.set(MONDAY_9AM);
    h.schedules[0]!.onTick();
    await h.checked(2);
    expect(h.clock.pendingTimers).toBe(1);
    h.schedules[0]!.onTick(); // e.g. a duplicate timer fire succeeds before the retry is due
    await h.checked(3);
    expect(h.posted).toHaveLength(1);
    // The success cancelled the pending retry.
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('a restart between a part-way failure and its retry posts only the missing messages, once', async () => {
    const first = harness({ paperbot: longDigestPaperbot(), hangSend: 2 });
    await first.service.start();
    first.clock.set(MONDAY_9AM);
    first.schedules[0]!.onTick();
    // Message 1 is sent and recorded; the process dies while sending message 2 (its claim stays 'posting').
    await first.waitForPosts(1);
    await settle();
    expect(first.posted).toHaveLength(1);
    await first.state.close();

    const clock = new FakeClock(MONDAY_9AM + 10 * MINUTE);
    const second = harness({ file: first.file, paperbot: longDigestPaperbot(), clock });
    await second.service.start();
    const draft = (await second.digests.getDraft(`scheduled:${new Date(MONDAY_9AM).toISOString()}`))!;
    const all = [...first.posted, ...second.posted].map((p) => textOf(p.payload));
    expect(all).toEqual(draft.parts.map((part) => textOf(part.payload)));
    expect(second.paperbot.calls.filter((c) => c.kind === 'summarize')).toHaveLength(0);
    // Nothing further is posted by later ticks or timers.
    expect(clock.pendingTimers).toBe(0);
    expect(await second.service.tick()).toMatchObject({ posted: false, reason: 'already-posted' });
    expect(second.posted).toHaveLength(draft.parts.length - 1);
  });
});

describe('two bot instances on one state database: claims with a lease', () => {
  const summaries = (h: { paperbot: FakePaperbot }) => h.paperbot.calls.filter((c) => c.kind === 'summarize');

  /** The first instance is writing Monday's digest (its summary held back) when a second one starts on the same file and clock. */
  async function secondStartsWhileFirstPosts() {
    const clock = new FakeClock(MONDAY_8AM);
    const { paperbot, release, started } = gatedPaperbot();
    const first = harness({ paperbot, clock });
    await first.service.start();
    clock.set(MONDAY_9AM);
    first.schedules[0]!.onTick();
    await started;
    const second = harness({ file: first.file, clock });
    await second.service.start();
    return { clock, first, second, release };
  }

  it('a second instance starting while the first is posting neither releases its claim nor posts the slot', async () => {
    const { clock, first, second, release } = await secondStartsWhileFirstPosts();
    expect(second.logs.lines.find((line) => line.event === 'digest-scheduled')).toMatchObject({ missedRun: 'in-progress' });
    expect(second.posted).toHaveLength(0);
    expect(summaries(second)).toHaveLength(0);

    release();
    await first.checked(2);
    expect(first.posted).toHaveLength(1);
    // When the first one's claim would have expired, the second looks again and finds the slot posted.
    clock.advance(DIGEST_CLAIM_LEASE_MS);
    await second.checked(2);
    expect(second.logs.lines.filter((line) => line.event === 'digest-check').at(-1)).toMatchObject({ posted: false, reason: 'already-posted' });
    expect(second.posted).toHaveLength(0);
  });

  it('an owner that keeps renewing its lease keeps the slot, however long it takes', async () => {
    const { clock, first, second, release } = await secondStartsWhileFirstPosts();
    for (let step = 0; step < 20; step++) {
      clock.advance(DIGEST_CLAIM_RENEW_MS);
      await settle();
    }
    expect(second.logs.count('digest-check')).toBeGreaterThan(1);
    expect(second.posted).toHaveLength(0);
    expect(summaries(second)).toHaveLength(0);
    release();
    await first.checked(2);
    expect(first.posted).toHaveLength(1);
  });

  it('a claim of a process that died moments ago is taken over once its lease expires', async () => {
    const first = harness();
    await first.service.start();
    const runKey = `scheduled:${new Date(MONDAY_9AM).toISOString()}`;
    await first.digests.claimRun({ runKey, kind: 'scheduled', scheduledFor: MONDAY_9AM, owner: 'killed', at: MONDAY_9AM, leaseMs: DIGEST_CLAIM_LEASE_MS });
    await first.state.close();

    const second = harness({ file: first.file, clock: new FakeClock(MONDAY_9AM + 30_000) });
    await second.service.start();
    expect(second.posted).toHaveLength(0);
    second.clock.advance(DIGEST_CLAIM_LEASE_MS - 30_000);
    await second.checked(2);
    expect(second.posted).toHaveLength(1);
  });

  it('an owner that stalled past its lease posts nothing once another instance took the slot over', async () => {
    const { paperbot, release, started } = gatedPaperbot();
    const first = harness({ paperbot });
    await first.service.start();
    first.clock.set(MONDAY_9AM);
    first.schedules[0]!.onTick();
    await started;
    // The first one's clock stands still (a stalled process: no renewals); the second sees its lease expire.
    const second = harness({ file: first.file, clock: new FakeClock(MONDAY_9AM + DIGEST_CLAIM_LEASE_MS + 1) });
    await second.service.start();
    expect(second.posted).toHaveLength(1);

    release();
    await first.checked(2);
    expect(first.posted).toHaveLength(0);
    expect(first.logs.lines.find((line) => line.event === 'digest-retry-scheduled')?.err).toMatchObject({ message: expect.stringMatching(/taken over/) });
    expect(await second.digests.getRun(`scheduled:${new Date(MONDAY_9AM).toISOString()}`)).toMatchObject({ status: 'posted' });
  });
});
