import { z } from 'zod';
import type { ParsedCorpus, Paper, SkippedRecord } from './paper.js';
import { buildPaper, cleanText } from './paper-identity.js';
import { previewText } from './preview-text.js';
import { recordOverLimit } from './record-limits.js';

const nonEmpty = z.string().refine((value) => cleanText(value).length > 0, 'must not be empty');
const stringList = z.union([z.array(z.string()), z.string().transform((value) => value.split(/\s*[,;]\s*/))]);

const recordSchema = z.object({
  title: nonEmpty,
  abstract: nonEmpty,
  url: z
    .string()
    .trim()
    .refine((value) => value === '' || /^https?:\/\/\S+$/i.test(value), 'must be an http(s) URL')
    .optional()
    .nullable(),
  authors: stringList.optional().nullable(),
  published: z.string().optional().nullable(),
  tags: stringList.optional().nullable(),
});

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The value at an issue's path in the record (zod does not report inputs by default). */
function valueAt(record: unknown, keys: readonly PropertyKey[]): unknown {
  let current = record;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeIssues(error: z.ZodError, record: unknown): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.join('.') || 'record';
      if (issue.code === 'invalid_type') {
        const input = valueAt(record, issue.path);
        return input === undefined ? `missing field "${field}"` : `"${field}" must be a ${issue.expected} (got ${describeType(input)})`;
      }
      return `"${field}" ${issue.message}`;
    })
    .join('; ');
}

/** A paper from one non-blank line, or the reason it is skipped. */
function parseRecordLine(line: string, source: { file: string; line: number }): Paper | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) return describeIssues(parsed.error, value);
  const record = parsed.data;
  const overLimit = recordOverLimit(cleanText(record.title), cleanText(record.abstract));
  if (overLimit) return overLimit;
  return buildPaper(
    {
      title: record.title,
      abstract: record.abstract,
      url: record.url || undefined,
      authors: record.authors ?? undefined,
      published: record.published ?? undefined,
      tags: record.tags ?? undefined,
    },
    source,
  );
}

/**
 * Parse JSON Lines: one `{title, abstract, url?, authors?, published?, tags?}` object a line.
 * Blank lines are ignored; invalid JSON, missing fields, a title or abstract over its limit and
 * duplicates are reported and skipped.
 */
export function parseJsonLines(text: string, fileName: string): ParsedCorpus {
  const papers: Paper[] = [];
  const skipped: SkippedRecord[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const source = { file: fileName, line: index + 1 };
    const paper = parseRecordLine(trimmed, source);
    if (typeof paper === 'string') {
      skipped.push({ ...source, reason: paper });
      continue;
    }
    const firstLine = seen.get(paper.id);
    if (firstLine !== undefined) {
      skipped.push({ ...source, reason: `duplicate of the paper at line ${firstLine}: "${previewText(paper.title)}"` });
      continue;
    }
    seen.set(paper.id, source.line);
    papers.push(paper);
  }
  return { papers, skipped };
}
