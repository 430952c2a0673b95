import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../../app/logger.js';
import type { DigestStore } from '../../state/digest-store.js';
import type { Clock, TimerHandle } from '../clock.js';

/** A claim expires this long after its owner last renewed it (a dead owner's run is then taken over). */
export const DIGEST_CLAIM_LEASE_MS = 2 * 60_000;
/** How often the owner renews its claim while composing and posting. */
export const DIGEST_CLAIM_RENEW_MS = 30_000;

/** The claim on a run was taken over while this process was posting it (it stalled past its lease). */
export class ClaimLostError extends Error {
  constructor(runKey: string) {
    super(`The claim on digest run ${runKey} was taken over by another process; not posting the rest.`);
  }
}

/** A claim owner id, unique per process and digest service: host, pid and a random part. */
export function newClaimOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export interface HeldClaim {
  /** Renew the lease now; throws ClaimLostError when the claim is no longer ours (do not post then). */
  confirm(): Promise<void>;
  /** Stop renewing (the run is completed or abandoned). */
  release(): void;
}

/** Keep a claimed run's lease fresh (every DIGEST_CLAIM_RENEW_MS on the clock) until released. */
export function holdClaim(deps: { digests: Pick<DigestStore, 'renewClaim'>; clock: Clock; logger: Logger }, runKey: string, owner: string): HeldClaim {
  const { digests, clock } = deps;
  let timer: TimerHandle | undefined;
  let lost = false;
  let released = false;
  const renew = () => digests.renewClaim(runKey, owner, clock.now() + DIGEST_CLAIM_LEASE_MS);
  const scheduleRenewal = (): void => {
    timer = clock.setTimeout(() => {
      timer = undefined;
      renew().then(
        (held) => {
          lost ||= !held;
          if (held && !released) scheduleRenewal();
        },
        (error: unknown) => {
          deps.logger.warn({ err: error, event: 'digest-claim-renew-failed', runKey }, 'could not renew the digest claim; trying again');
          if (!released) scheduleRenewal();
        },
      );
    }, DIGEST_CLAIM_RENEW_MS);
  };
  scheduleRenewal();
  return {
    async confirm() {
      if (lost || !(await renew())) {
        lost = true;
        throw new ClaimLostError(runKey);
      }
    },
    release() {
      released = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
