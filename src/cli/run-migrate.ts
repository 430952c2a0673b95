import { existsSync } from 'node:fs';
import { POSTGRES_URL, POSTGRES_URL_HINT, type Config, type DatabaseConfig } from '../config.js';
import { UserFacingError } from '../errors.js';
import { lockStateDir } from '../state/lock-state-dir.js';
import { maskDatabaseSecrets } from '../state/postgres/describe-database.js';
import { openStateDatabase, stateDatabasePath } from '../state/sqlite/open-state-database.js';
import { countOf } from './format-output.js';

/** A copy runs one statement at a time on one connection; each is small. */
const MIGRATE_POOL_MAX = 1;
const MIGRATE_STATEMENT_TIMEOUT_MS = 60_000;

/**
 * `paperbot migrate --to <postgres://…>`: copy the embedded bot state (threads, answers and votes,
 * digest runs, settings, watches, the coverage-gap log) into PostgreSQL. Idempotent; says what it copied. The bot must not be running
 * on the embedded state meanwhile (its lock is taken).
 */
export async function runMigrate(config: Config, options: { to: string; err: (text: string) => void }): Promise<void> {
  if (!POSTGRES_URL.test(options.to)) throw new UserFacingError('usage', `--to ${POSTGRES_URL_HINT}.`);
  const database = { url: options.to, poolMax: MIGRATE_POOL_MAX, statementTimeoutMs: MIGRATE_STATEMENT_TIMEOUT_MS };
  const file = stateDatabasePath(config.stateDir);
  if (!existsSync(file)) {
    options.err(`Bot state: nothing to copy (${file} does not exist).`);
  } else {
    const lock = await lockStateDir(config.stateDir);
    const sqlite = openStateDatabase(file);
    try {
      const { copySqliteStateToPostgres } = await import('../state/postgres/copy-sqlite-state.js');
      const counts = await copySqliteStateToPostgres(sqlite, database, '--to');
      options.err(
        `Bot state: copied ${countOf(counts.threads, 'thread')} (${countOf(counts.turns, 'turn')}), ${countOf(counts.answers, 'answer')}, ${countOf(counts.votes, 'vote')}, ` +
          `${countOf(counts.expectedPapers, 'expected paper')}, ${countOf(counts.digestRuns, 'digest run')} (${countOf(counts.digestDrafts, 'draft')}), ${countOf(counts.settings, 'setting')}, ` +
          `${countOf(counts.watches, 'watch', 'watches')}, ${countOf(counts.gaps, 'coverage gap')} from ${file} to ${maskDatabaseSecrets(options.to, options.to)}; ` +
          'what the database already had was kept.',
      );
      if (!counts.gapSaltKept) {
        options.err('Coverage gaps: the database already had its own salt for user hashes, so someone who asked on both installs counts as two people in `paperbot gaps`.');
      }
    } finally {
      sqlite.close();
      await lock.release();
    }
  }
  await copyPapers(config, database, options.err);
}

/** The local index's papers and vectors into the database's paper store (when it has pgvector). */
async function copyPapers(config: Config, database: DatabaseConfig, err: (text: string) => void): Promise<void> {
  const { copyLocalPapersToPostgres } = await import('../store/postgres/copy-local-papers.js');
  const { PgvectorMissingError } = await import('../store/postgres/assert-pgvector.js');
  try {
    const summary = await copyLocalPapersToPostgres(config.indexDir, database);
    if (!summary) {
      err(`Papers: nothing to copy (no index in ${config.indexDir}).`);
      return;
    }
    err(
      `Papers: copied ${countOf(summary.total, 'paper')} with their vectors from ${config.indexDir} to ${maskDatabaseSecrets(database.url, database.url)} ` +
        `(${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.removed} removed).`,
    );
  } catch (error) {
    if (!(error instanceof PgvectorMissingError)) throw error;
    err('Papers: not copied; the database has no pgvector, so they stay in the local index (set PAPER_STORE=local with DATABASE_URL).');
  }
}
