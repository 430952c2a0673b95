import { words } from '../text/tokenize.js';
import { checkCitations } from './check-citations.js';
import { LEAK_RUN_WORDS, leaksText, longestLeakWindow, squashForLeakCheck } from './guard-secrets.js';

export interface StreamGuardOptions {
  /** Words kept unsent at the end of the stream until more text arrives (or the stream ends). */
  holdWords?: number;
  /** …and at least this many characters. */
  holdChars?: number;
  /** Run length passed to `leaksText` (the same as the final check's). */
  minWords?: number;
  /** How many numbered sources the model was given: citations to other numbers are never forwarded. */
  sourceCount?: number;
}

export interface StreamGuard {
  /** Give this to the model as `onToken`. */
  readonly onToken: (delta: string) => void;
  /** True once the streamed text echoed the secret text; nothing is forwarded after that. */
  readonly leaked: boolean;
  /** The stream ended and its text was accepted: forward the held-back rest (nothing when a leak was seen). */
  finish(): void;
}

const DEFAULT_HOLD_WORDS = 15;
const DEFAULT_HOLD_CHARS = 120;
/** An unfinished citation group at the end of the released text: `[`, `[1`, `[1, 2-`. */
const OPEN_CITATION = /\[[\d\s,;\-–—]*$/;

/**
 * Forward streamed model text to `forward` with a small hold-back, checking it for a leak of `secretText`
 * (the system prompt) with the same `leaksText` test the finished answer gets. The last `holdWords` words
 * (and at least `holdChars` characters, and at least the longest leak run once squashed) stay unsent until
 * more text arrives, so when a leak is detected the start of the echoed run has not been shown yet; from
 * then on nothing more is forwarded. Each check only looks at the unsent text, which always holds enough
 * for any new run to start in it.
 *
 * With `sourceCount`, what is forwarded is the released text after `checkCitations` — citations to
 * sources that were not given (`[99]`) never reach `forward` — and an unfinished group (`[1`) is held
 * until it closes. Forwarded text always concatenates to a prefix of the checked text.
 */
export function guardStreamedText(forward: (delta: string) => void, secretText: string, options: StreamGuardOptions = {}): StreamGuard {
  const minWords = options.minWords ?? LEAK_RUN_WORDS;
  const hold: Hold = {
    words: Math.max(options.holdWords ?? DEFAULT_HOLD_WORDS, minWords),
    chars: options.holdChars ?? DEFAULT_HOLD_CHARS,
    squashed: longestLeakWindow(secretText, minWords),
  };
  const visible = (raw: string, final: boolean) => {
    if (options.sourceCount === undefined) return raw;
    // Spaces before the end may still be removed with a citation that follows them ("claim [7].").
    const checked = checkCitations(raw, options.sourceCount).text;
    return final ? checked : checked.trimEnd();
  };
  let text = '';
  let released = 0;
  let shown = '';
  let leaked = false;
  let finished = false;

  const show = (final: boolean) => {
    const next = visible(text.slice(0, released), final);
    if (!next.startsWith(shown) || next.length === shown.length) return;
    forward(next.slice(shown.length));
    shown = next;
  };

  const onToken = (delta: string): void => {
    if (leaked || finished || delta === '') return;
    text += delta;
    if (leaksText(text.slice(released), secretText, minWords)) {
      leaked = true;
      return;
    }
    const cut = releasePoint(text, released, hold);
    const open = options.sourceCount === undefined ? null : OPEN_CITATION.exec(text.slice(released, cut));
    const safeCut = open ? released + open.index : cut;
    if (safeCut > released) {
      released = safeCut;
      show(false);
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
      released = text.length;
      show(true);
    },
  };
}

interface Hold {
  words: number;
  chars: number;
  squashed: number;
}

/**
 * The last index (≥ `from`, at the start of a whitespace-separated chunk) from which the rest of `text`
 * still holds ≥ `hold.words` words, ≥ `hold.chars` characters and ≥ `hold.squashed` squashed characters;
 * `from` when the unsent text is not that long yet.
 */
function releasePoint(text: string, from: number, hold: Hold): number {
  const starts: number[] = [];
  const chunk = /\S+/g;
  chunk.lastIndex = from;
  for (let m = chunk.exec(text); m; m = chunk.exec(text)) starts.push(m.index);
  let wordCount = 0;
  let squashedCount = 0;
  for (let i = starts.length - 1; i >= 0; i--) {
    const start = starts[i]!;
    const piece = text.slice(start, starts[i + 1] ?? text.length);
    wordCount += words(piece).length;
    squashedCount += squashForLeakCheck(piece).length;
    if (wordCount >= hold.words && text.length - start >= hold.chars && squashedCount >= hold.squashed) return start;
  }
  return from;
}
