import { createHash } from 'node:crypto';
import escapeLatex from 'escape-latex';
import { arxivIdFromUrl } from '../corpus/paper-identity.js';
import type { CitedPaper } from './cited-papers.js';

/** A field value on one line, LaTeX special characters escaped (escape-latex), control characters dropped. */
export function escapeBibtexValue(text: string): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  return escapeLatex(oneLine);
}

/** A url as a field value: characters that would unbalance braces or start a macro percent-encoded. */
function bibtexUrl(url: string): string {
  return url.trim().replace(/[{}\\\s]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The 4-digit year of an ISO date, or of a new-style arXiv id (YYMM.NNNNN → 20YY). */
export function yearOf(paper: CitedPaper): string | undefined {
  const fromDate = /^(\d{4})/.exec(paper.published ?? '')?.[1];
  if (fromDate) return fromDate;
  const arxiv = arxivOf(paper);
  const yy = arxiv && /^(\d{2})\d{2}\./.exec(arxiv)?.[1];
  return yy ? `20${yy}` : undefined;
}

/** The arXiv id of a paper: from its url, else from an `arxiv-…` paper id. */
export function arxivOf(paper: CitedPaper): string | undefined {
  const fromUrl = arxivIdFromUrl(paper.url);
  if (fromUrl) return fromUrl;
  const fromId = /^arxiv-(\d{4}\.\d{4,5})$/.exec(paper.id)?.[1];
  return fromId;
}

/** ASCII letters and digits only (accents folded): `Müller` → `Muller`. */
function asciiWord(text: string): string {
  return text.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '');
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'on', 'of', 'for', 'to', 'in', 'and', 'with', 'towards', 'toward', 'is', 'are', 'do', 'does', 'how', 'what', 'when', 'why']);

/** `surname` + year + first significant title word, e.g. `wang2023videomae`; `paper` + word without authors. */
function baseKey(paper: CitedPaper): string {
  const firstAuthor = paper.authors?.[0]?.trim() ?? '';
  const surname = asciiWord(firstAuthor.includes(',') ? firstAuthor.split(',')[0]! : (firstAuthor.split(/\s+/).pop() ?? '')).toLowerCase();
  const word = paper.title.split(/\s+/).map(asciiWord).find((w) => w.length > 0 && !STOP_WORDS.has(w.toLowerCase()))?.toLowerCase() ?? '';
  const key = `${surname || 'paper'}${yearOf(paper) ?? ''}${word}`.slice(0, 40);
  return key || 'paper';
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

/**
 * Citation keys: readable (`wang2023videomae`), the same for a paper in every export, and unique in
 * one file — papers whose readable keys collide each get 6 hex characters of their paper id's hash.
 */
export function bibtexKeys(papers: readonly CitedPaper[]): string[] {
  const bases = papers.map(baseKey);
  const counts = new Map<string, number>();
  for (const base of bases) counts.set(base, (counts.get(base) ?? 0) + 1);
  return bases.map((base, i) => ((counts.get(base) ?? 0) > 1 ? `${base}-${shortHash(papers[i]!.id)}` : base));
}

/** One `@misc` entry (arXiv preprints are `@misc` with `eprint` + `archivePrefix`, biblatex's convention). */
function bibtexEntry(paper: CitedPaper, key: string): string {
  const fields: [string, string][] = [['title', `{${escapeBibtexValue(paper.title)}}`]];
  if (paper.authors?.length) fields.push(['author', paper.authors.map(escapeBibtexValue).filter(Boolean).join(' and ')]);
  const year = yearOf(paper);
  if (year) fields.push(['year', year]);
  const arxiv = arxivOf(paper);
  if (arxiv) fields.push(['eprint', arxiv], ['archivePrefix', 'arXiv']);
  if (/^https?:\/\//.test(paper.url)) fields.push(['url', bibtexUrl(paper.url)]);
  fields.push(['note', `paperbot id: ${escapeBibtexValue(paper.id)}`]);
  return [`@misc{${key},`, ...fields.map(([name, value]) => `  ${name} = {${value}},`), '}'].join('\n');
}

/** The papers as a BibTeX file (UTF-8), in the order given. */
export function formatBibtex(papers: readonly CitedPaper[]): string {
  const keys = bibtexKeys(papers);
  return papers.map((paper, i) => bibtexEntry(paper, keys[i]!)).join('\n\n') + (papers.length ? '\n' : '');
}
