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

/**
 * Read and parse one corpus file. The format comes from `options.format`, else from the extension
 * (.txt → text, .jsonl/.ndjson → jsonl); an unknown extension without a format is a UserFacingError.
 */
export async function parseCorpusFile(filePath: string, options: { format?: CorpusFormat } = {}): Promise<ParsedCorpus> {
  const format = options.format ?? corpusFormatOf(filePath);
  if (!format) {
    throw new UserFacingError(
      'unknown-corpus-format',
      `Cannot tell the format of "${path.basename(filePath)}": use a .txt (title/abstract lines), .jsonl or .ndjson file, or pass the format explicitly (--format text or --format jsonl).`,
    );
  }
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      throw new UserFacingError('corpus-file-unreadable', `Cannot read corpus file "${filePath}" (${code}).`, { cause: error });
    }
    throw error;
  }
  return parseCorpusText(text, path.basename(filePath), format);
}
