import { maskSecrets } from '../../text/mask-secrets.js';

/** The password of a database URL (to mask it in any text, wherever it appears). */
function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Mask the database's password (and any other secret) in a text about it. */
export function maskDatabaseSecrets(text: string, url: string): string {
  return maskSecrets(text, [passwordOf(url)]);
}

/** `DATABASE_URL=postgres://[redacted]@host:5432/db`: the URL as it may appear in messages and logs. */
export function describeDatabase(url: string): string {
  return `DATABASE_URL=${maskDatabaseSecrets(url, url)}`;
}
