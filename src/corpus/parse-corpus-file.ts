import path from 'node:path';
import { UserFacingError } from '../errors.js';
import type { ParsedCorpus } from './paper.js';
import { parseJsonLines } from './parse-json-lines.js';
import { parseTrendingText } from './parse-trending-text.js';
import { decodeCorpusText, readCorpusFile } from './read-corpus-file.js';

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

/** Parse the bytes of a corpus file (see decodeCorpusText) in a known format. */
export function parseCorpusBytes(bytes: Buffer, filePath: string, format: CorpusFormat): ParsedCorpus {
  return parseCorpusText(decodeCorpusText(bytes, filePath), path.basename(filePath), format);
}

/** The format of a corpus file: the one given, else by extension; a UserFacingError when unknown. */
export function requireCorpusFormat(filePath: string, format: CorpusFormat | undefined): CorpusFormat {
  const known = format ?? corpusFormatOf(filePath);
  if (known) return known;
  throw new UserFacingError(
    'unknown-corpus-format',
    `Cannot tell the format of "${path.basename(filePath)}": use a .txt (title/abstract lines), .jsonl or .ndjson file, or pass the format explicitly (--format text or --format jsonl).`,
  );
}

/**
 * Read and parse one corpus file. The format comes from `options.format`, else from the extension
 * (.txt → text, .jsonl/.ndjson → jsonl). An unknown format, a file that cannot be read as a corpus
 * file (see readCorpusFile) or is not text (see decodeCorpusText) is a UserFacingError.
 */
export async function parseCorpusFile(filePath: string, options: { format?: CorpusFormat } = {}): Promise<ParsedCorpus> {
  const format = requireCorpusFormat(filePath, options.format);
  return parseCorpusBytes(await readCorpusFile(filePath), filePath, format);
}
