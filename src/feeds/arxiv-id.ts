/** An arXiv identifier split into the paper id (what identifies the paper) and its version. */
export interface ArxivIdentifier {
  /** Without version: `2303.16727`, or old-style `hep-th/9901001`. */
  id: string;
  /** The `vN` suffix when given (e.g. 2 for `2303.16727v2`). */
  version?: number;
}

const NEW_STYLE = String.raw`\d{4}\.\d{4,5}`;
const OLD_STYLE = String.raw`[a-z-]+(?:\.[A-Z]{2})?\/\d{7}`;
const BARE_ID = new RegExp(`^(?:arxiv:)?(${NEW_STYLE}|${OLD_STYLE})(?:v(\\d+))?$`, 'i');
const ABS_URL = new RegExp(`^https?:\\/\\/(?:www\\.|export\\.)?arxiv\\.org\\/(?:abs|pdf|html)\\/(${NEW_STYLE}|${OLD_STYLE})(?:v(\\d+))?(?:\\.pdf)?\\/?$`, 'i');

/**
 * Parse an arXiv identifier as feeds give it: a bare id (`2303.16727v2`, `arXiv:2303.16727`,
 * `hep-th/9901001v1`) or an abs/pdf URL (`http://arxiv.org/abs/2303.16727v2`). Undefined when it is
 * not one.
 */
export function parseArxivId(value: string): ArxivIdentifier | undefined {
  const text = value.trim();
  const match = BARE_ID.exec(text) ?? ABS_URL.exec(text);
  if (!match?.[1]) return undefined;
  const version = match[2] === undefined ? undefined : Number(match[2]);
  return version === undefined ? { id: match[1] } : { id: match[1], version };
}

/** The canonical abstract page of a paper (no version, so it always shows the newest). */
export function arxivAbsUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}
