/**
 * Split text into chunks of at most `maxLength` characters, preferring paragraph, then line, then
 * sentence, then word boundaries, and never cutting inside a citation marker (`[1]`, `[1, 2]`), a
 * markdown link or a URL unless a single one is longer than a chunk.
 */
export function splitText(text: string, maxLength: number): string[] {
  if (maxLength < 1) throw new RangeError('maxLength must be at least 1');
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > maxLength) {
    const cut = findCut(rest, maxLength);
    const head = rest.slice(0, cut).trimEnd();
    if (head.length > 0) chunks.push(head);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

/** Spans that must stay whole: markdown links, URLs and citation markers. */
const PROTECTED = /\[[^\]\n]{1,300}\]\(<?https?:\/\/[^\s)>]+>?\)|<?https?:\/\/[^\s<>]+>?|\[\d+(?:\s*[,–-]\s*\d+)*\]/g;

function protectedSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const match of text.matchAll(PROTECTED)) spans.push([match.index, match.index + match[0].length]);
  return spans;
}

function insideSpan(position: number, spans: Array<[number, number]>): boolean {
  return spans.some(([start, end]) => position > start && position < end);
}

/** Where to cut `text` (an index in 1..maxLength), the best boundary at or before maxLength. */
function findCut(text: string, maxLength: number): number {
  const window = text.slice(0, maxLength + 1);
  const spans = protectedSpans(text.slice(0, Math.min(text.length, maxLength * 2 + 400)));
  // Boundary kinds, best first; each regex marks positions right after the boundary.
  const kinds: RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?](?:\s*\[\d+(?:\s*[,–-]\s*\d+)*\])+\s|[.!?:;]["')\]]*\s(?=\S)/g, /\s+/g];
  // A boundary too early would leave a tiny chunk; accept one only past this point.
  const minimum = Math.floor(maxLength * 0.5);
  let fallback = -1;
  for (const kind of kinds) {
    let best = -1;
    for (const match of window.matchAll(kind)) {
      const end = match.index + match[0].length;
      const position = kind.source.startsWith('\\n') || kind.source === '\\s+' ? match.index : end;
      if (position < 1 || position > maxLength) continue;
      if (insideSpan(position, spans)) continue;
      best = Math.max(best, position);
    }
    if (best >= minimum) return best;
    if (best > fallback) fallback = best;
  }
  if (fallback > 0) return fallback;
  // No boundary at all: cut at the last position outside a protected span, else hard.
  for (let position = maxLength; position > 0; position--) {
    if (!insideSpan(position, spans)) return notInsidePair(text, position);
  }
  return notInsidePair(text, maxLength);
}

/**
 * `position`, moved back one code unit when it falls between the two halves of a UTF-16 surrogate
 * pair (an emoji and other astral characters), so a cut never leaves half a character on each side.
 */
export function notInsidePair(text: string, position: number): number {
  if (position <= 1 || position >= text.length) return position;
  const before = text.charCodeAt(position - 1);
  const after = text.charCodeAt(position);
  const splitsPair = before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
  return splitsPair ? position - 1 : position;
}

/** Shorten to at most `maxLength` characters, ending with an ellipsis when cut. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (maxLength <= 1) return text.slice(0, maxLength);
  const cut = text.slice(0, notInsidePair(text, maxLength - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
