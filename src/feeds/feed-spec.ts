/** One configured feed. `name` is how fetch summaries and the digest refer to it. */
export type FeedSpec = { kind: 'arxiv'; name: string; query: string } | { kind: 'hf-daily'; name: string };

/** A list item that is not a feed: `where` is `item 2` (FEEDS) or `line 3` (a feeds file). */
export class FeedSpecError extends Error {
  override readonly name = 'FeedSpecError';
}

const HF_DAILY = 'hf:daily';
const ARXIV_PREFIX = 'arxiv:';
const COMMENT = '#';

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** Why an arXiv search query cannot be sent, or undefined when it looks well-formed. */
function arxivQueryProblem(query: string): string | undefined {
  if (!query) return 'the arXiv search query is empty (e.g. arxiv:cat:cs.LG AND abs:"continual learning")';
  if (count(query, '"') % 2 !== 0) return 'unbalanced double quote in the arXiv search query';
  let depth = 0;
  for (const char of query) {
    depth += char === '(' ? 1 : char === ')' ? -1 : 0;
    if (depth < 0) break;
  }
  return depth === 0 ? undefined : 'unbalanced parentheses in the arXiv search query';
}

/** Parse one feed: `arxiv:<search query>` or `hf:daily`. Throws FeedSpecError. */
export function parseFeedSpec(item: string): FeedSpec {
  const text = item.trim().replace(/\s+/g, ' ');
  if (text.toLowerCase() === HF_DAILY) return { kind: 'hf-daily', name: HF_DAILY };
  if (text.toLowerCase().startsWith(ARXIV_PREFIX)) {
    const query = text.slice(ARXIV_PREFIX.length).trim();
    const problem = arxivQueryProblem(query);
    if (problem) throw new FeedSpecError(problem);
    return { kind: 'arxiv', name: `${ARXIV_PREFIX}${query}`, query };
  }
  throw new FeedSpecError(`unknown feed ${JSON.stringify(text)}: use arxiv:<search query> or ${HF_DAILY}`);
}

/** Split a line on `;` outside double quotes. */
function splitItems(line: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    if (char === ';' && !quoted) {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  return items;
}

/**
 * Parse a list of feeds: items separated by `;` (outside quotes) or new lines; blank items and lines
 * starting with `#` are ignored; a feed listed twice counts once. Throws FeedSpecError whose message
 * starts with where the bad item is (`item 2: …` or, with `byLine`, `line 3: …`).
 */
export function parseFeedList(text: string, options: { byLine?: boolean } = {}): FeedSpec[] {
  const feeds = new Map<string, FeedSpec>();
  let itemNumber = 0;
  for (const [index, line] of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).entries()) {
    if (line.trim().startsWith(COMMENT)) continue;
    for (const item of splitItems(line)) {
      if (!item.trim()) continue;
      itemNumber += 1;
      try {
        const spec = parseFeedSpec(item);
        if (!feeds.has(spec.name)) feeds.set(spec.name, spec);
      } catch (error) {
        const where = options.byLine ? `line ${index + 1}` : `item ${itemNumber}`;
        throw new FeedSpecError(`${where}: ${(error as Error).message}`);
      }
    }
  }
  return [...feeds.values()];
}
