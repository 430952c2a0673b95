import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { UserFacingError } from '../errors.js';

const MIB = 1024 * 1024;
/** Largest corpus file read (bigger collections go in several files): bounds the memory of one read. */
export const MAX_CORPUS_FILE_BYTES = 256 * MIB;
/** First read size for files that report no size (such as /proc files). */
const UNKNOWN_SIZE_READ_BYTES = 64 * 1024;
/** Above this share of U+FFFD (bytes that are not UTF-8) a file is taken for binary, not text. */
const MAX_REPLACEMENT_SHARE = 0.02;

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not an ordinary file';
}

function tooLarge(filePath: string): UserFacingError {
  return new UserFacingError(
    'corpus-file-too-large',
    `"${filePath}" is larger than ${MAX_CORPUS_FILE_BYTES / MIB} MiB, the limit for one corpus file; split it into several files. Nothing was read.`,
  );
}

function openError(filePath: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    return new UserFacingError('corpus-file-unreadable', `Cannot read corpus file "${filePath}" (${code}).`, { cause: error });
  }
  return error;
}

/**
 * The bytes of a corpus file, refusing (UserFacingError) anything but a regular file — a device such
 * as /dev/zero, a FIFO (opened without blocking, so it never hangs), a folder — and files over
 * MAX_CORPUS_FILE_BYTES. At most MAX_CORPUS_FILE_BYTES + 1 bytes are ever read, also from files that
 * report a wrong size (/proc) or grow while being read.
 */
export async function readCorpusFile(filePath: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(filePath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw openError(filePath, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new UserFacingError('corpus-file-not-regular', `"${filePath}" is ${kindOf(stats)}, not a file; corpus files must be ordinary text files.`);
    }
    if (stats.size > MAX_CORPUS_FILE_BYTES) throw tooLarge(filePath);
    let buffer = Buffer.allocUnsafe(stats.size > 0 ? stats.size + 1 : UNKNOWN_SIZE_READ_BYTES);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > MAX_CORPUS_FILE_BYTES) throw tooLarge(filePath);
        const bigger = Buffer.allocUnsafe(Math.min(2 * length, MAX_CORPUS_FILE_BYTES + 1));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_CORPUS_FILE_BYTES) throw tooLarge(filePath);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

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
