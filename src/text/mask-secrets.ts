/**
 * Secrets that hide inside strings, masked wherever text leaves the process (logs, error lines,
 * notices): credentials in URLs (`ftp://admin:pw@host`), key/token query parameters, Discord
 * interaction/webhook tokens in REST URLs (discord.js errors carry the request URL), bot tokens in
 * Authorization headers, OpenAI-style keys.
 */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\b([a-z][a-z\d+.-]*:\/\/)[^\s/?#"'<>]*@/gi, '$1[redacted]@'],
  [/([?&](?:api[_-]?key|key|token|access[_-]?token|secret|password)=)[^&#\s"'<>]+/gi, '$1[redacted]'],
  [/(\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9._-]+/g, '$1[redacted]'],
  [/\b(Bot|Bearer) [A-Za-z0-9._-]{20,}/g, '$1 [redacted]'],
  [/\b(sk|pk)-[A-Za-z0-9_-]{10,}/g, '$1-[redacted]'],
];

/** Shorter known secrets are not masked (they would mask ordinary words). */
const MIN_KNOWN_SECRET_LENGTH = 4;

/** Mask the secrets found in a text, and every occurrence of the `known` secrets (the configured keys). */
export function maskSecrets(text: string, known: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of known) {
    if (secret && secret.length >= MIN_KNOWN_SECRET_LENGTH) out = out.split(secret).join('[redacted]');
  }
  return SECRET_PATTERNS.reduce((s, [pattern, replacement]) => s.replace(pattern, replacement), out);
}
