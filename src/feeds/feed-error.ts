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
