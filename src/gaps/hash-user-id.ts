import { createHmac, randomBytes } from 'node:crypto';

/** A user id made unrecognisable: HMAC-SHA256 with the installation's salt (hex, 32 characters). Same user → same hash. */
export function hashUserId(salt: string, userId: string): string {
  return createHmac('sha256', salt).update(userId).digest('hex').slice(0, 32);
}

/** A fresh random salt (used once, then stored). */
export function newSalt(): string {
  return randomBytes(32).toString('hex');
}
