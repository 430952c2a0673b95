import type { VoteStatRow } from '../state/feedback-store.js';

/** Votes of one command in one week. */
export interface WeeklyVotes {
  /** ISO week, e.g. `2026-W48`. */
  week: string;
  command: string;
  up: number;
  down: number;
}

/** The ISO 8601 week (`YYYY-Www`, weeks start on Monday, UTC) of a time. */
export function isoWeek(ms: number): string {
  const date = new Date(ms);
  const day = date.getUTCDay() || 7;
  const thursday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 4 - day);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.ceil(((thursday - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Votes per command and ISO week, newest week first, commands alphabetical (answers from before commands were recorded: `unknown`). */
export function weeklyVotes(rows: readonly VoteStatRow[]): WeeklyVotes[] {
  const table = new Map<string, WeeklyVotes>();
  for (const row of rows) {
    const week = isoWeek(row.votedAt);
    const command = row.command ?? 'unknown';
    const key = `${week}\u0000${command}`;
    const entry = table.get(key) ?? { week, command, up: 0, down: 0 };
    entry[row.vote] += 1;
    table.set(key, entry);
  }
  return [...table.values()].sort((a, b) => b.week.localeCompare(a.week) || a.command.localeCompare(b.command));
}

/** The statistics as an aligned text table. */
export function formatWeeklyVotes(rows: readonly WeeklyVotes[]): string {
  if (rows.length === 0) return 'No votes yet.';
  const header = ['week', 'command', '👍', '👎'];
  const lines = [header, ...rows.map((r) => [r.week, r.command, String(r.up), String(r.down)])];
  const widths = header.map((_, i) => Math.max(...lines.map((line) => [...(line[i] ?? '')].length)));
  return lines.map((line) => line.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}
