/** Titles and lines quoted in skip reasons are cut to this many characters. */
const PREVIEW_CHARS = 60;

/** A title or line as quoted in a skip reason: cut to PREVIEW_CHARS with "…". */
export function previewText(text: string): string {
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}
