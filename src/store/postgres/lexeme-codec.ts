/**
 * Our stems as PostgreSQL lexemes. The `simple` text-search parser keeps a run of ASCII letters and
 * digits as one token, unchanged; anything else (an apostrophe left by the stemmer, "crossentropy'",
 * or a non-ASCII letter, whose class depends on the database's locale) would be split. Such a term is
 * stored as `zq` + the hex of its UTF-8 bytes, one ASCII token, and decoded when read back.
 */
const PLAIN = /^[a-z0-9]+$/;
const ENCODED = /^zq((?:[0-9a-f]{2})+)$/;

export function encodeLexeme(term: string): string {
  return PLAIN.test(term) && !ENCODED.test(term) ? term : `zq${Buffer.from(term, 'utf8').toString('hex')}`;
}

export function decodeLexeme(lexeme: string): string {
  const hex = ENCODED.exec(lexeme)?.[1];
  return hex ? Buffer.from(hex, 'hex').toString('utf8') : lexeme;
}
