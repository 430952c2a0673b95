/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds (`120`) or an HTTP date (relative
 * to `nowMs`, never negative). Undefined when the header is missing or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its day and month ("Wed, 08 Jan 2025 12:00:30 GMT").
  const date = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
