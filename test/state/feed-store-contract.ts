import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchRunOutcome } from '../../src/state/fetch-run-store.js';
import type { StateStores } from '../../src/state/state-stores.js';
import type { StateBackend } from './state-store-contract.js';

const LEASE = 60_000;
const outcome = (failed: string[] = []): FetchRunOutcome => ({
  newPaperIds: ['arxiv-2501.00001'],
  updatedPaperIds: [],
  failedFeeds: failed.map((feed) => ({ feed, error: 'HTTP 503' })),
  feeds: ['arxiv:cat:cs.LG', 'hf:daily'],
});

/** The feed stores (fetch runs, watches) every StateStores implementation must have. */
export function describeFeedStoreContract(name: string, createBackend: () => Promise<StateBackend>): void {
  describe(`feed stores contract: ${name}`, () => {
    let backend: StateBackend;
    let opened: StateStores[] = [];
    const open = async () => {
      const stores = await backend.open();
      opened.push(stores);
      return stores;
    };
    beforeEach(async () => {
      backend = await createBackend();
    });
    afterEach(async () => {
      for (const stores of opened) await stores.close();
      opened = [];
      await backend.destroy();
    });

    describe('fetch runs', () => {
      it('one claim per slot across two connections; a live lease is held, an expired one taken over; done is final', async () => {
        const [a, b] = [await open(), await open()];
        const claim = { runKey: 'fetch:2025-01-06T06:00:00.000Z', at: 1_000, leaseMs: LEASE };
        const results = await Promise.all([a.fetchRuns.claimRun({ ...claim, owner: 'a' }), b.fetchRuns.claimRun({ ...claim, owner: 'b' })]);
        expect(results.filter((r) => r.claimed)).toHaveLength(1);
        const winner = results[0]!.claimed ? 'a' : 'b';
        const loser = winner === 'a' ? 'b' : 'a';
        expect(results.find((r) => !r.claimed)).toEqual({ claimed: false, reason: 'held', leaseUntil: 1_000 + LEASE });
        expect(await a.fetchRuns.renewClaim(claim.runKey, loser, 5_000 + LEASE)).toBe(false);
        expect(await a.fetchRuns.renewClaim(claim.runKey, winner, 5_000 + LEASE)).toBe(true);
        // Expired: the other process takes over; the old owner can no longer complete.
        expect(await b.fetchRuns.claimRun({ ...claim, owner: loser, at: 5_000 + LEASE })).toEqual({ claimed: true });
        expect(await a.fetchRuns.completeRun(claim.runKey, winner, outcome(), 6_000 + LEASE)).toBe(false);
        expect(await b.fetchRuns.completeRun(claim.runKey, loser, outcome(), 6_000 + LEASE)).toBe(true);
        expect(await a.fetchRuns.claimRun({ ...claim, owner: 'c', at: 10 * LEASE })).toEqual({ claimed: false, reason: 'posted' });
      });

      it('an abandoned run can be claimed again; completed runs are listed in order with their outcome; the last clean run', async () => {
        const stores = await open();
        const runs = stores.fetchRuns;
        expect(await runs.lastCleanRun()).toBeUndefined();
        expect(await runs.claimRun({ runKey: 'r1', owner: 'x', at: 100, leaseMs: LEASE })).toEqual({ claimed: true });
        await runs.abandonRun('r1', 'x');
        expect(await runs.claimRun({ runKey: 'r1', owner: 'y', at: 200, leaseMs: LEASE })).toEqual({ claimed: true });
        expect(await runs.completeRun('r1', 'y', outcome(), 300)).toBe(true);
        await runs.claimRun({ runKey: 'r2', owner: 'y', at: 400, leaseMs: LEASE });
        expect(await runs.completeRun('r2', 'y', outcome(['hf:daily']), 500)).toBe(true);
        const since = await runs.completedRunsSince(250);
        expect(since.map((r) => [r.runKey, r.status, r.startedAt, r.finishedAt])).toEqual([
          ['r1', 'done', 200, 300],
          ['r2', 'done', 400, 500],
        ]);
        expect(since[1]!.outcome).toEqual(outcome(['hf:daily']));
        expect(await runs.completedRunsSince(400)).toHaveLength(1);
        expect((await runs.lastCleanRun())?.runKey).toBe('r1');
        // Kept across a restart.
        const again = await open();
        expect((await again.fetchRuns.lastCleanRun())?.outcome).toEqual(outcome());
      });
    });

    describe('watches', () => {
      it('one watch per target and topic (case-insensitive); list, all, remove; kept across a restart', async () => {
        const stores = await open();
        const w = stores.watches;
        const first = await w.add({ scope: 'user', targetId: 'u1', subscriberId: 'u1', topic: 'Continual Learning' }, 10);
        expect(first).toMatchObject({ added: true, watch: { scope: 'user', targetId: 'u1', subscriberId: 'u1', topic: 'Continual Learning', createdAt: 10 } });
        const again = await w.add({ scope: 'user', targetId: 'u1', subscriberId: 'u1', topic: 'continual learning' }, 20);
        expect(again).toEqual({ added: false, watch: first.watch });
        await w.add({ scope: 'channel', targetId: 'c1', subscriberId: 'u2', topic: 'continual learning' }, 30);
        await w.add({ scope: 'user', targetId: 'u1', subscriberId: 'u1', topic: 'RLHF' }, 40);
        expect((await w.list('user', 'u1')).map((x) => x.topic)).toEqual(['Continual Learning', 'RLHF']);
        expect((await w.all()).map((x) => `${x.scope}:${x.targetId}:${x.topic}`)).toEqual(['user:u1:Continual Learning', 'channel:c1:continual learning', 'user:u1:RLHF']);
        expect(await w.remove('user', 'u1', 'CONTINUAL LEARNING')).toBe(true);
        expect(await w.remove('user', 'u1', 'continual learning')).toBe(false);
        expect((await (await open()).watches.list('channel', 'c1')).map((x) => x.subscriberId)).toEqual(['u2']);
      });

      it('a notice is claimed once per watch and run, also by two connections at once', async () => {
        const [a, b] = [await open(), await open()];
        const { watch } = await a.watches.add({ scope: 'channel', targetId: 'c1', subscriberId: 'u2', topic: 'agents' }, 1);
        const claims = await Promise.all([a.watches.claimNotice(watch.id, 'fetch:1', 5), b.watches.claimNotice(watch.id, 'fetch:1', 5)]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await a.watches.claimNotice(watch.id, 'fetch:2', 6)).toBe(true);
        // Removing the watch removes its notices (a new watch on the topic starts afresh).
        await a.watches.remove('channel', 'c1', 'agents');
        const { watch: renewed } = await a.watches.add({ scope: 'channel', targetId: 'c1', subscriberId: 'u2', topic: 'agents' }, 7);
        expect(await a.watches.claimNotice(renewed.id, 'fetch:1', 8)).toBe(true);
      });
    });
  });
}
