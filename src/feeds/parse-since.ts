import { UserFacingError } from '../errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DURATION = /^(\d{1,4})\s*([hdw])$/i;
const DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** Used when `--since` is not given. */
export const DEFAULT_SINCE = '7d';

/**
 * The start of a fetch window: a duration back from `nowMs` (`36h`, `7d`, `2w`) or a date
 * (`2024-03-01`, UTC midnight; or a full ISO timestamp). Anything else, a zero duration or a date
 * in the future is a UserFacingError (code `invalid-since`).
 */
export function parseSince(value: string, nowMs: number): Date {
  const text = value.trim();
  const duration = DURATION.exec(text);
  if (duration?.[1] && duration[2]) {
    const ms = Number(duration[1]) * (UNIT_MS[duration[2].toLowerCase()] ?? 0);
    if (ms > 0) return new Date(nowMs - ms);
  } else if (DATE.test(text)) {
    const time = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (!Number.isNaN(time) && time <= nowMs) return new Date(time);
  }
  throw new UserFacingError(
    'invalid-since',
    `--since must be a positive duration such as 36h, 7d or 2w, or a past date such as 2024-03-01 (got ${JSON.stringify(value)}).`,
  );
}
