import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserFacingError } from '../errors.js';
import type { ParsedCorpus } from './paper.js';
import { parseJsonLines } from './parse-json-lines.js';
import { parseTrendingText } from './parse-trending-text.js';

export type CorpusFormat = 'text' | 'jsonl';

/** File extensions recognised as corpus files, and their format. */
export const CORPUS_EXTENSIONS: Readonly<Record<string, CorpusFormat>> = {
  '.txt': 'text',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** The format of a corpus file by its extension, or undefined when the extension is not recognised. */
export function corpusFormatOf(filePath: string): CorpusFormat | undefined {
  return CORPUS_EXTENSIONS[path.extname(filePath).toLowerCase()];
}

/** Parse corpus text in a known format; `fileName` is what skipped records and `source` report. */
export function parseCorpusText(text: string, fileName: string, format: CorpusFormat): ParsedCorpus {
  return format === 'jsonl' ? parseJsonLines(text, fileName) : parseTrendingText(text, fileName);
}

/** Above this share of U+FFFD (bytes that are not UTF-8) a file is taken for binary, not text. */
const MAX_REPLACEMENT_SHARE = 0.02;

/**
 * Decode a corpus file as UTF-8, or throw a UserFacingError naming it when it is not text: it holds
 * NUL bytes (binary, or UTF-16), or more than 2% of its characters are not valid UTF-8.
 */
export function decodeCorpusText(bytes: Buffer, filePath: string): string {
  const notText = () =>
    new UserFacingError('corpus-file-not-text', `"${filePath}" is not a text file (it looks binary, or is not UTF-8); corpus files must be UTF-8 text.`);
  if (bytes.includes(0)) throw notText();
  const text = bytes.toString('utf8');
  let replacements = 0;
  for (const char of text) if (char === '\uFFFD') replacements += 1;
  if (replacements > 0 && replacements / Math.max(1, text.length) > MAX_REPLACEMENT_SHARE) throw notText();
  return text;
}

/**
 * Read and parse one corpus file. The format comes from `options.format`, else from the extension
 * (.txt → text, .jsonl/.ndjson → jsonl); an unknown extension without a format, or a file that is
 * not text (see decodeCorpusText), is a UserFacingError.
 */
export async function parseCorpusFile(filePath: string, options: { format?: CorpusFormat } = {}): Promise<ParsedCorpus> {
  const format = options.format ?? corpusFormatOf(filePath);
  if (!format) {
    throw new UserFacingError(
      'unknown-corpus-format',
      `Cannot tell the format of "${path.basename(filePath)}": use a .txt (title/abstract lines), .jsonl or .ndjson file, or pass the format explicitly (--format text or --format jsonl).`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      throw new UserFacingError('corpus-file-unreadable', `Cannot read corpus file "${filePath}" (${code}).`, { cause: error });
    }
    throw error;
  }
  return parseCorpusText(decodeCorpusText(bytes, filePath), path.basename(filePath), format);
}
