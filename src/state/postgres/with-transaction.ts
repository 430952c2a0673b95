import type pg from 'pg';

const ignore = (): void => undefined;

/**
 * Run `work` on one pooled connection. While it is out of the pool, a connection the server drops
 * only fails its queries (an 'error' listener is attached: without one, node-postgres's error event
 * would crash the process). A connection that failed is dropped from the pool, never reused.
 */
export async function withConnection<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  client.on('error', ignore);
  let failed: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', ignore);
    client.release(failed);
  }
}

/** Run `work` in one transaction: committed when it resolves, rolled back when it throws. */
export function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withConnection(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(ignore);
      throw error;
    }
  });
}
