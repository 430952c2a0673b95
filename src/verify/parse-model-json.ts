import type { z } from 'zod';

/** Why a model's JSON reply was rejected (short, safe to log and to show as a fallback reason). */
export class ModelReplyError extends Error {
  override readonly name = 'ModelReplyError';
}

/**
 * Parse a model's reply as one JSON object checked against `schema`. Tolerates a Markdown code fence
 * or prose around the object; anything else (no object, invalid JSON, a schema mismatch) throws
 * ModelReplyError.
 */
export function parseModelJson<T>(reply: string, schema: z.ZodType<T>): T {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(reply)?.[1] ?? reply;
  const start = fenced.indexOf('{');
  const end = fenced.lastIndexOf('}');
  if (start < 0) throw new ModelReplyError('the reply holds no JSON object');
  let value: unknown;
  try {
    value = JSON.parse(fenced.slice(start, end > start ? end + 1 : undefined));
  } catch {
    throw new ModelReplyError('the reply is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelReplyError(`the reply does not have the expected shape (${issue ? `${issue.path.join('.') || 'reply'}: ${issue.message}` : 'invalid'})`);
  }
  return parsed.data;
}
