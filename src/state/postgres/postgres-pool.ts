import pg from 'pg';
import type { Logger } from '../../app/logger.js';
import type { DatabaseConfig } from '../../config.js';
import { maskDatabaseSecrets } from './describe-database.js';

/** The name our connections carry in pg_stat_activity. */
export const APPLICATION_NAME = 'paperbot';
/** How long a new connection may take before the attempt fails. */
const CONNECT_TIMEOUT_MS = 10_000;
/** A session left idle inside a transaction this long is ended by the server (its locks are freed). */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;
const INT8_OID = 20;

/** bigint columns (times in ms, ids) as JS numbers: every value we store is far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * A connection pool to DATABASE_URL: at most `poolMax` connections, every statement bounded by
 * `statementTimeoutMs`, bigint as number. A connection the server drops while idle is removed from the
 * pool (and logged) instead of crashing the process; the next query opens a new one. `onConnect` prepares
 * each new session before its first use (e.g. a setting); when it fails, so does that connection.
 */
export function createPostgresPool(database: DatabaseConfig, logger?: Logger, onConnect?: (client: pg.ClientBase) => Promise<void>): pg.Pool {
  const pool = new pg.Pool({
    connectionString: database.url,
    max: database.poolMax,
    statement_timeout: database.statementTimeoutMs,
    lock_timeout: database.statementTimeoutMs,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: APPLICATION_NAME,
    keepAlive: true,
    types,
    onConnect,
  });
  pool.on('error', (error) => {
    logger?.warn({ event: 'database-connection-lost', reason: maskDatabaseSecrets(error.message, database.url) }, 'a database connection was lost; it will be replaced');
  });
  return pool;
}
