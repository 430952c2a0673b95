/** Why a feed request or response failed; the message is one line fit for a fetch summary. */
export type FeedErrorKind = 'http' | 'rate-limited' | 'timeout' | 'network' | 'too-large' | 'format' | 'cancelled';

/** A feed failure. Fetching catches it per feed: the other feeds carry on. */
export class FeedError extends Error {
  override readonly name = 'FeedError';
  readonly kind: FeedErrorKind;
  constructor(kind: FeedErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

const SNIPPET_CHARS = 60;

/** How a response body starts, quoted, for error messages about bodies that are not what we expect. */
export function quoteResponseStart(text: string): string {
  return `(response starts ${JSON.stringify(text.trim().slice(0, SNIPPET_CHARS))})`;
}
