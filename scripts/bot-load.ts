// Shared by the bot load benchmarks (bench-bot.ts, bench-shards.ts): questions, percentiles, and the
// measurement of a burst of /ask through the fake Discord.
import type { FakeDiscord, RawMessage, SentInteraction } from '../test/support/fake-discord/index.js';

export const QUESTIONS = [
  'How does VideoMAE V2 scale video masked autoencoders?',
  'What is dual masking in video pre-training?',
  'How does ERNIE-Tiny compress pretrained transformers?',
  'What is anytime progressive pruning?',
  'How can continual learning avoid catastrophic forgetting?',
  'How does learning to prompt help continual learning?',
  'What is weak-to-strong reasoning?',
  'How are language model agents trained without modifying the model?',
];

/** How long a deferred acknowledgement may take (Discord drops the interaction after 3 s). */
export const ACK_DEADLINE_MS = 3_000;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');

export function isFinalAnswer(message: RawMessage): boolean {
  const embeds = (message.embeds ?? []) as { fields?: { name: string }[]; footer?: { text?: string } }[];
  return embeds.some((e) => (e.fields ?? []).some((f) => /Sources|Nearest/.test(f.name))) && !embeds.some((e) => e.footer?.text === 'Writing…');
}

export interface BurstResult {
  /** Dispatch → first (type-5 deferred) callback, per acknowledged request. */
  ack: number[];
  /** Dispatch → final answer on @original, per answered request. */
  completion: number[];
  answered: number;
  failed: number;
  deferred: number;
  wallMs: number;
}

/** Wait for every sent /ask to be acknowledged and answered; the figures of the burst. */
export async function measureBurst(fake: FakeDiscord, sent: readonly SentInteraction[], started: number): Promise<BurstResult> {
  const result: BurstResult = { ack: [], completion: [], answered: 0, failed: 0, deferred: 0, wallMs: 0 };
  await Promise.all(
    sent.map(async (s) => {
      const interaction = fake.interactions.get(s.id)!;
      try {
        const callback = await fake.waitForInteractionResponse(s.id, 30_000);
        result.ack.push(callback.at - interaction.createdAt);
        await fake.waitForOriginal(s.token, isFinalAnswer, 10 * 60_000);
        result.completion.push(Date.now() - interaction.createdAt);
        result.answered++;
      } catch {
        result.failed++;
      }
    }),
  );
  result.wallMs = Date.now() - started;
  result.deferred = sent.filter((s) => fake.interactions.get(s.id)?.callbacks[0]?.type === 5).length;
  return result;
}
