import { escapeMarkdown } from 'discord.js';
import { sanitizeText } from '../text/normalize-input.js';

/**
 * A masked link `[label](url)`, `[label](<url>)` or `[label](url "title")`; the label may hold one
 * level of brackets. Discord renders these in embeds, interaction replies and (now) message content.
 */
const MASKED_LINK = /\[((?:[^[\]\n]|\[[^[\]\n]*\])*)\]\(\s*<?([^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)>?(?:\s+"[^"\n]*")?\s*\)/g;

/** Characters Discord reads as the start of a link target right after `]`. */
const LINK_OPENER = /\]\s*\(/g;

/**
 * Masked links in text the bot did not write (model output, abstracts, echoed user text) shown
 * undisguised: a link whose target is one of `allowed` (the cited sources) stays; any other becomes
 * `label (<url>)`, so the real address is visible and not previewed. Whatever still looks like the
 * start of a link target afterwards (`](`) is broken up.
 */
export function neutralizeLinks(text: string, allowed: ReadonlySet<string> = new Set()): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(MASKED_LINK)) {
    const [whole, label = '', url = ''] = match;
    out += breakLinkOpeners(text.slice(from, match.index));
    from = match.index + whole.length;
    if (allowed.has(url)) {
      out += whole;
    } else {
      const shown = breakLinkOpeners(label.trim() || url);
      out += url ? `${shown} (<${url}>)` : shown;
    }
  }
  return out + breakLinkOpeners(text.slice(from));
}

function breakLinkOpeners(text: string): string {
  return text.replace(LINK_OPENER, '] (');
}

/**
 * User text (a question, a topic, a query) or corpus text shown in public where it is rendered as
 * markdown (embed titles and descriptions): invisible, bidi and control characters removed, links
 * undisguised, and every markdown character escaped so it shows as typed.
 */
export function asPlainText(text: string): string {
  return escapeInPieces(neutralizeLinks(sanitizeText(text)));
}

/**
 * discord.js's escapeMarkdown takes time quadratic in a line's length (its look-behinds scan back to
 * the line's start at every character: 0.2 s for a 4,000-character line, the most sanitizeText keeps,
 * 20 s for 50,000), so text is escaped in
 * pieces of at most this many characters, cut before whitespace where there is some. A piece starts as
 * a line would: a `#`, `-` or `1.` there is escaped even mid-line, which Discord shows as typed.
 */
const ESCAPE_PIECE_CHARS = 256;
const ESCAPE_PIECES = new RegExp(`[\\s\\S]{1,${ESCAPE_PIECE_CHARS}}(?=\\s|$)|[\\s\\S]{1,${ESCAPE_PIECE_CHARS}}`, 'g');

function escapeInPieces(text: string): string {
  const escape = (piece: string) => escapeMarkdown(piece, { heading: true, bulletedList: true, numberedList: true });
  if (text.length <= ESCAPE_PIECE_CHARS) return escape(text);
  return (text.match(ESCAPE_PIECES) ?? []).map(escape).join('');
}

/** Unpaired UTF-16 surrogates (half an emoji left by a cut) replaced by U+FFFD, which Discord accepts. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Citation markers (`[3]`, `[1, 2]`), hidden from text whose sources are not checked yet. */
export function withoutCitations(text: string): string {
  return text.replace(/\s?\[\d+(?:\s*[,–-]\s*\d+)*\]/g, '');
}
