import type { DatabaseConfig } from '../../config.js';
import { UserFacingError } from '../../errors.js';
import { maskDatabaseSecrets } from './describe-database.js';

/**
 * The database could not be opened (unreachable, refused, or not migratable). The message names where
 * the URL came from (DATABASE_URL unless said otherwise), its password masked.
 */
export class DatabaseUnavailableError extends UserFacingError {
  constructor(database: DatabaseConfig, cause: unknown, source = 'DATABASE_URL') {
    const reason = cause instanceof Error ? cause.message || cause.constructor.name : String(cause);
    super('database-unavailable', `cannot use the database at ${source}=${maskDatabaseSecrets(database.url, database.url)}: ${maskDatabaseSecrets(reason, database.url)}`);
  }
}
