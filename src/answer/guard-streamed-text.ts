import { words } from '../text/tokenize.js';
import { leaksText } from './guard-secrets.js';

export interface StreamGuardOptions {
  /** Words kept unsent at the end of the stream until more text arrives (or the stream ends). */
  holdWords?: number;
  /** …and at least this many characters. */
  holdChars?: number;
  /** Run length passed to `leaksText` (the same as the final check's). */
  minWords?: number;
}

export interface StreamGuard {
  /** Give this to the model as `onToken`. */
  readonly onToken: (delta: string) => void;
  /** True once the streamed text echoed the secret text; nothing is forwarded after that. */
  readonly leaked: boolean;
  /** The stream ended and its text was accepted: forward the held-back rest (nothing when a leak was seen). */
  finish(): void;
}

/**
 * Forward streamed model text to `forward` with a small hold-back, checking it for a leak of `secretText`
 * (the system prompt) with the same `leaksText` test the finished answer gets. The last `holdWords` words
 * (and at least `holdChars` characters) stay unsent until more text arrives, so when a leak is detected the
 * start of the echoed run has not been shown yet; from then on nothing more is forwarded.
 *
 * Forwarded text is always a prefix (cut at whitespace) of text that passed the check, so the concatenated
 * output never contains a run `leaksText` would flag. Each check only looks at the unsent text: it always
 * keeps ≥ `holdWords` words before the new delta, enough for any new `minWords` run to fit in it.
 */
export function guardStreamedText(forward: (delta: string) => void, secretText: string, options: StreamGuardOptions = {}): StreamGuard {
  const minWords = options.minWords ?? 12;
  const holdWords = Math.max(options.holdWords ?? 15, minWords);
  const holdChars = options.holdChars ?? 120;
  let text = '';
  let sent = 0;
  let leaked = false;
  let finished = false;

  const onToken = (delta: string): void => {
    if (leaked || finished || delta === '') return;
    text += delta;
    if (leaksText(text.slice(sent), secretText, minWords)) {
      leaked = true;
      return;
    }
    const cut = releasePoint(text, sent, holdWords, holdChars);
    if (cut > sent) {
      const out = text.slice(sent, cut);
      sent = cut;
      forward(out);
    }
  };

  return {
    onToken,
    get leaked() {
      return leaked;
    },
    finish() {
      if (leaked || finished) return;
      finished = true;
      if (sent < text.length) {
        const out = text.slice(sent);
        sent = text.length;
        forward(out);
      }
    },
  };
}

/**
 * The last index (≥ `from`, at the start of a whitespace-separated chunk) from which the rest of `text` still
 * holds ≥ `holdWords` words and ≥ `holdChars` characters; `from` when the unsent text is not that long yet.
 */
function releasePoint(text: string, from: number, holdWords: number, holdChars: number): number {
  const starts: number[] = [];
  const chunk = /\S+/g;
  chunk.lastIndex = from;
  for (let m = chunk.exec(text); m; m = chunk.exec(text)) starts.push(m.index);
  let count = 0;
  for (let i = starts.length - 1; i >= 0; i--) {
    const start = starts[i]!;
    count += words(text.slice(start, starts[i + 1] ?? text.length)).length;
    if (count >= holdWords && text.length - start >= holdChars) return start;
  }
  return from;
}
