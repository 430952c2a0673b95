import type pg from 'pg';
import { IndexLockedError } from '../index-errors.js';

/** First key of the ingest's advisory lock ('papr'); the second is the schema's hash. */
const LOCK_CLASS = 0x70617072;
const OWNER_PREFIX = 'paperbot ingest pid ';

/** The pid of the process holding the ingest lock, from its connection's application_name. */
async function lockOwner(client: pg.PoolClient): Promise<{ pid: number } | undefined> {
  const { rows } = await client.query<{ application_name: string }>(
    `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid AND l.pid <> pg_backend_pid()`,
    [LOCK_CLASS],
  );
  const pid = Number(rows[0]?.application_name.startsWith(OWNER_PREFIX) ? rows[0].application_name.slice(OWNER_PREFIX.length) : NaN);
  return Number.isInteger(pid) ? { pid } : undefined;
}

/**
 * Run `work` holding the paper ingest's advisory lock (per schema) on `client`; when another session
 * holds it, fail at once with IndexLockedError ("Another ingest is running (pid …)"). The lock is a
 * session lock: a process that dies releases it with its connection.
 */
export async function lockPaperIngest<T>(client: pg.PoolClient, where: string, work: () => Promise<T>): Promise<T> {
  await client.query(`SELECT set_config('application_name', $1, false)`, [`${OWNER_PREFIX}${process.pid}`]);
  const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS locked`, [LOCK_CLASS]);
  if (!rows[0]?.locked) throw new IndexLockedError(where, await lockOwner(client));
  try {
    return await work();
  } finally {
    await client.query(`SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, [LOCK_CLASS]).catch(() => undefined);
  }
}
