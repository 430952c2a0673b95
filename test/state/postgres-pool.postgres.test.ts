import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { APPLICATION_NAME, createPostgresPool } from '../../src/state/postgres/postgres-pool.js';
import { openPostgresStateStores } from '../../src/state/postgres/open-postgres-state-stores.js';
import { runCliInProcess } from '../support/run-cli.js';
import { createTestSchema, queryTestDatabase, type TestSchema } from '../support/postgres.js';

const schemas: TestSchema[] = [];
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
  while (schemas.length) await schemas.pop()!.drop();
});
async function freshSchema(): Promise<TestSchema> {
  const schema = await createTestSchema();
  schemas.push(schema);
  return schema;
}

/** A logger whose JSON lines are kept. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('the PostgreSQL pool', () => {
  it('a connection the server ends while idle is logged and replaced; the process goes on and the next query works', async () => {
    const schema = await freshSchema();
    const { logger, lines } = recordingLogger();
    const pool = createPostgresPool(schema.database({ poolMax: 1 }), logger);
    closers.push(() => pool.end());
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const lost = new Promise<void>((resolve) => pool.once('error', () => resolve()));
    await queryTestDatabase('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await lost;
    expect(lines.find((line) => line.event === 'database-connection-lost')).toMatchObject({ reason: expect.stringMatching(/terminat/) });
    const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
  });

  it('bounds every statement by the statement timeout, names itself, returns bigint as numbers', async () => {
    const schema = await freshSchema();
    const pool = createPostgresPool(schema.database({ statementTimeoutMs: 200 }));
    closers.push(() => pool.end());
    await expect(pool.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
    const { rows } = await pool.query<{ name: string; big: number }>(`SELECT current_setting('application_name') AS name, 9007199254740991::bigint AS big`);
    expect(rows[0]).toEqual({ name: APPLICATION_NAME, big: Number.MAX_SAFE_INTEGER });
  });
});

describe('paperbot feedback --export with DATABASE_URL', () => {
  it('exports the votes stored in PostgreSQL', async () => {
    const schema = await freshSchema();
    const stores = await openPostgresStateStores(schema.database());
    const id = await stores.feedback.recordShownAnswer({ question: 'Q?', answer: 'A [1].', sources: [], mode: 'llm' }, 1_000);
    await stores.feedback.recordVote({ answerId: id, userId: 'u1', vote: 'down' }, 2_000);
    await stores.close();
    const run = await runCliInProcess(['feedback', '--export'], { env: { DATABASE_URL: schema.url } });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { vote: string; userId: string })).toMatchObject([{ answerId: id, userId: 'u1', vote: 'down' }]);
    expect(run.stderr).toContain('1 vote');
  });
});
