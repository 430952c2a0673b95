import type { Config } from '../config.js';
import { UserFacingError } from '../errors.js';

/**
 * The one place that decides where the papers are read from (PAPER_STORE; `postgres` is the default
 * with DATABASE_URL). Only the local index exists in this version: `postgres` stops start-up with the
 * way out.
 */
export function assertPaperStoreAvailable(config: Pick<Config, 'paperStore'>): void {
  if (config.paperStore === 'postgres') {
    throw new UserFacingError(
      'paper-store-unavailable',
      'The papers cannot be stored in PostgreSQL yet (PAPER_STORE=postgres, the default with DATABASE_URL): set PAPER_STORE=local to keep them in the local index.',
    );
  }
}
