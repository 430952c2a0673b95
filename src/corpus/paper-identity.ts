import { createHash } from 'node:crypto';
import { normalizeTitle } from './normalize-title.js';
import type { Paper } from './paper.js';

/** A title-based id: the first words of the title as a slug, then part of the title's hash. */
const ID_SLUG_WORDS = 5;
const ID_SLUG_MAX_CHARS = 40;
const ID_HASH_CHARS = 8;

/** The fields of a corpus record a Paper is built from (one title/abstract pair or one JSON line). */
export interface PaperRecord {
  title: string;
  abstract: string;
  url?: string | undefined;
  authors?: string[] | undefined;
  published?: string | undefined;
  tags?: string[] | undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Collapse whitespace (including NBSP / zero-width), NFC-normalise and trim a piece of corpus text. */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

const ARXIV_URL = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[A-Z]{2})?\/\d{7}))(?:v\d+)?(?:\.pdf)?\/?(?:[?#].*)?$/i;

/** The arXiv identifier (without version) of an arXiv abs/pdf/html URL, else undefined. */
export function arxivIdFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const match = ARXIV_URL.exec(url.trim());
  return match?.[1];
}

/**
 * Stable paper id: `arxiv-<id>` when the record's url is an arXiv link, else a readable slug of the
 * normalised title plus 8 hex characters of its sha256 (e.g. `videomae-v2-scaling-video-3f2a9c1b`).
 */
export function paperId(title: string, url?: string): string {
  const arxiv = arxivIdFromUrl(url);
  if (arxiv) return `arxiv-${arxiv.replace(/[^A-Za-z0-9.]+/g, '-')}`;
  const slug = normalizeTitle(title)
    .replace(/[^a-z0-9 ]+/g, '')
    .split(' ')
    .filter(Boolean)
    .slice(0, ID_SLUG_WORDS)
    .join('-')
    .slice(0, ID_SLUG_MAX_CHARS)
    .replace(/-+$/g, '');
  const hash = sha256(normalizeTitle(title, { keepAccents: true })).slice(0, ID_HASH_CHARS);
  return slug ? `${slug}-${hash}` : `paper-${hash}`;
}

/** sha256 over everything that is embedded or shown (title, abstract, url, authors, date, tags). */
export function paperContentHash(record: PaperRecord): string {
  return sha256(
    JSON.stringify([record.title, record.abstract, record.url ?? null, record.authors ?? null, record.published ?? null, record.tags ?? null]),
  );
}

const URL_IN_TEXT = /\b(?:https?:\/\/|(?<![\w.\/])(?:www\.)?github\.com\/)[^\s<>"'`]+/giu;
const TRAILING_PUNCT = /[.,;:!?'"`\]}>*]+$/u;

function stripTrailing(url: string): string {
  let out = url;
  for (;;) {
    const before = out;
    out = out.replace(TRAILING_PUNCT, '');
    // A closing parenthesis belongs to the URL only when it has an opening partner inside it.
    while (out.endsWith(')') && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0)) out = out.slice(0, -1);
    if (out === before) return out;
  }
}

/** GitHub / project URLs mentioned in a text, in order, without duplicates and trailing punctuation. */
export function extractLinks(text: string): string[] {
  const links: string[] = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    let url = stripTrailing(match[0]);
    if (!/^https?:\/\//i.test(url)) url = `https://${url}`;
    if (/^https?:\/\/[^/]*\.[^/]+/i.test(url) && !links.includes(url)) links.push(url);
  }
  return links;
}

/** A clickable link for a paper without its own url: an arXiv title search. */
export function derivedPaperUrl(title: string): string {
  return `https://arxiv.org/search/?searchtype=title&query=${encodeURIComponent(title)}`;
}

/** Build a full Paper from a cleaned record and where it came from. */
export function buildPaper(record: PaperRecord, source: { file: string; line: number }): Paper {
  const title = cleanText(record.title);
  const abstract = cleanText(record.abstract);
  const url = record.url?.trim() || undefined;
  const clean: PaperRecord = {
    title,
    abstract,
    url,
    authors: record.authors?.map(cleanText).filter(Boolean),
    published: record.published?.trim() || undefined,
    tags: record.tags?.map(cleanText).filter(Boolean),
  };
  const paper: Paper = {
    id: paperId(title, url),
    title,
    abstract,
    url: url ?? derivedPaperUrl(title),
    links: extractLinks(abstract),
    contentHash: paperContentHash(clean),
    source: { file: source.file, line: source.line },
  };
  if (clean.authors && clean.authors.length > 0) paper.authors = clean.authors;
  if (clean.published) paper.published = clean.published;
  if (clean.tags && clean.tags.length > 0) paper.tags = clean.tags;
  return paper;
}
