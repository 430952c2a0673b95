import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { GENERIC_APOLOGY } from '../../src/errors.js';
import { APPLICATION_NAME } from '../../src/state/postgres/postgres-pool.js';
import { openPostgresStateStores } from '../../src/state/postgres/open-postgres-state-stores.js';
import { startFakeDiscord, type RawMessage } from '../support/fake-discord/index.js';
import { startFakeOpenAIServer } from '../support/fake-openai-server.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';
import { VIDEO_QUESTION, botEnv, copyDataDir, hasFinalEmbed, modelReply, removeDir, spawnBot } from './bot-harness.js';
import { useBotSuite } from './sharded-harness.js';

// The real bot process (`npm start`'s entry, its current source: nodeArgsFor) with its state in PostgreSQL (DATABASE_URL,
// pool of 1), against the fake Discord and model: what happens when the database drops its connections.

const PASSWORD = 'pg-secret-never-logged';
const suite = useBotSuite();

/** The schema's URL with a password in it (the server trusts local connections, so any password works). */
function urlWithPassword(schema: TestSchema): string {
  const url = new URL(schema.url);
  url.password = PASSWORD;
  return url.toString();
}

function feedbackButtonIds(message: RawMessage | undefined): string[] {
  const rows = (message?.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((row) => row.components ?? []).map((c) => c.custom_id ?? '').filter((id) => id.startsWith('feedback:'));
}

/** Waits for the database to show a state the bot reaches without telling anyone (its query waiting on a lock). */
async function waitForDatabase(admin: pg.Client, sql: string, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await admin.query(sql)).rowCount === 0) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the bot on PostgreSQL when the database drops its connections', () => {
  it('mid-answer: the user gets the short apology; the pool reconnects and later requests (answers, votes) work; no credentials in any output', async () => {
    const schema = await createTestSchema();
    suite.defer(() => schema.drop());
    const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
    suite.defer(() => fake.close());
    const model = await startFakeOpenAIServer({ defaultBehavior: { kind: 'reply', text: modelReply } });
    suite.defer(() => model.close());
    const dataDir = await copyDataDir(suite.template());
    suite.defer(() => removeDir(dataDir));
    const env = { OPENAI_BASE_URL: model.baseURL, DATABASE_URL: urlWithPassword(schema), DATABASE_POOL_MAX: '1', PAPER_STORE: 'local' };
    const bot = spawnBot(botEnv(fake, dataDir, env), dataDir);
    suite.defer(() => bot.stop());
    await bot.waitForReady(60_000);

    const first = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    expect(feedbackButtonIds(await fake.waitForOriginal(first.token, hasFinalEmbed, 30_000))).toHaveLength(2);

    // The first request is over (its thread opened and its answer moved there) before the table is held.
    await bot.waitForLog((line) => line.event === 'command' && line.interactionId === first.id, 30_000, 'the first /ask to finish');
    // Hold the answers table, so the bot's write of the next answer waits; then end every connection of the bot.
    const admin = new pg.Client({ connectionString: schema.url });
    await admin.connect();
    suite.defer(() => admin.end());
    const locker = new pg.Client({ connectionString: schema.url });
    await locker.connect();
    suite.defer(() => locker.end());
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE answers IN ACCESS EXCLUSIVE MODE');
    const lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const broken = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    // Only the bot's connection waiting on our lock (the run's other test files share this database and application name).
    const ours = `application_name = '${APPLICATION_NAME}' AND datname = current_database() AND ${lockerPid} = ANY(pg_blocking_pids(pid))`;
    await waitForDatabase(admin, `SELECT pid FROM pg_stat_activity WHERE ${ours}`, 'the bot to wait on the answers table');
    const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${ours}`);
    expect(killed.rowCount).toBeGreaterThanOrEqual(1);
    await locker.query('ROLLBACK');
    // The answer had been shown streaming, so the apology comes as a follow-up (the handler's rule).
    await fake.waitUntil(() => (fake.followUps(broken.token).some((m) => m.content === GENERIC_APOLOGY) ? true : undefined), 30_000, 'the apology');
    expect((await bot.waitForLog((line) => line.event === 'request-failed', 20_000, 'the failure to be logged')).event).toBe('request-failed');

    // The pool opened a new connection: the next answer is stored and shown with its buttons, and a vote is stored.
    const after = fake.sendSlashCommand({ name: 'ask', options: { question: VIDEO_QUESTION } });
    const answered = await fake.waitForOriginal(after.token, hasFinalEmbed, 30_000);
    const [up] = feedbackButtonIds(answered);
    const vote = fake.sendButton({ customId: up!, messageId: answered.id });
    expect(((await fake.waitForInteractionResponse(vote.id)).data as { content?: string }).content).toMatch(/recorded/);
    const state = await openPostgresStateStores(schema.database());
    suite.defer(() => state.close());
    expect((await state.feedback.exportVotes()).map((row) => row.vote)).toEqual(['up']);

    expect(bot.exitCode).toBeUndefined();
    expect(bot.stdout + bot.stderr).not.toContain(PASSWORD);
    expect(await bot.stop()).toBe(0);
  }, 180_000);
});
