import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/** Builds the error a malformed file is reported with (each set of files has its own error type). */
export type LineErrorFactory = (message: string, cause?: unknown) => Error;

/**
 * Parse JSON lines whose records carry a unique `id`, each line checked against the schema `schemaOf`
 * picks for it. Blank lines are skipped; the first malformed line throws `fail("<file>:<line>: why")`.
 */
export function parseIdLines<T extends { id: string }>(text: string, file: string, schemaOf: (raw: unknown) => z.ZodType<T>, fail: LineErrorFactory): T[] {
  const records: T[] = [];
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw fail(`${where}: not valid JSON (${(error as Error).message})`, error);
    }
    const parsed = schemaOf(raw).safeParse(raw);
    if (!parsed.success) throw fail(`${where}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`).join('; ')}`);
    if (ids.has(parsed.data.id)) throw fail(`${where}: duplicate id ${JSON.stringify(parsed.data.id)}`);
    ids.add(parsed.data.id);
    records.push(parsed.data);
  });
  return records;
}

/** Read a text file; an unreadable one throws `fail("<file>: cannot read (why)")`. */
export function readLinesFile(file: string, fail: LineErrorFactory): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw fail(`${file}: cannot read (${(error as Error).message})`, error);
  }
}
