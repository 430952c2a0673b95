import type { Migration } from './apply-migrations.js';

/** Feedback that becomes regression tests: its own migration component (after `state`, whose `answers` it extends). */
export const FEEDBACK_REGRESSION_COMPONENT = 'feedback-regression';

export const FEEDBACK_REGRESSION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "the command behind an answer; the paper a 👎 voter says should have answered",
    sql: `
      ALTER TABLE answers ADD COLUMN command TEXT;
      CREATE TABLE feedback_expected (
        answer_id  TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        paper_id   TEXT NOT NULL,
        title      TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (answer_id, user_id)
      );
    `,
  },
];
