import path from 'node:path';
import type { ParsedCorpus } from '../corpus/paper.js';
import { corpusFormatOf, parseCorpusBytes, requireCorpusFormat, type CorpusFormat } from '../corpus/parse-corpus-file.js';
import { readCorpusFile } from '../corpus/read-corpus-file.js';
import { UserFacingError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { ensureDirectory } from '../store/ensure-directory.js';
import { listCorpusFiles } from './corpus-dir.js';

export interface AddedCorpusFile {
  /** Name of the file inside the corpus folder. */
  name: string;
  papers: number;
  /** Records of the file skipped while parsing it (malformed, or repeated within the file). */
  skipped: ParsedCorpus['skipped'];
  /** True when a corpus file of that name (with other content) was replaced. */
  replaced: boolean;
}

export interface AddCorpusFilesOptions {
  format?: CorpusFormat | undefined;
  /**
   * Allow a file to replace a corpus file of the same name with other content (its papers leave the
   * corpus). Without it that is a UserFacingError and nothing is copied. Re-adding the corpus file
   * itself (same path) or a file with identical content is never a replacement.
   */
  replace?: boolean | undefined;
}

interface CheckedFile {
  file: string;
  name: string;
  bytes: Buffer;
  parsed: ParsedCorpus;
  copy: boolean;
  replaced: boolean;
}

/** The name a file gets in the corpus folder (an explicit format with another extension adds a recognised one). */
function corpusNameOf(file: string, format: CorpusFormat): string {
  const name = path.basename(file);
  if (corpusFormatOf(name)) return name;
  return `${name}.${format === 'jsonl' ? 'jsonl' : 'txt'}`;
}

async function checkFile(corpusDir: string, existing: readonly string[], file: string, options: AddCorpusFilesOptions): Promise<CheckedFile> {
  const format = requireCorpusFormat(file, options.format);
  const bytes = await readCorpusFile(file);
  const parsed = parseCorpusBytes(bytes, file, format);
  if (parsed.papers.length === 0) {
    const malformed = parsed.skipped.length ? ` (${parsed.skipped.length} malformed records)` : '';
    throw new UserFacingError('empty-corpus-file', `No valid paper found in "${path.basename(file)}"${malformed}; nothing was added.`);
  }
  const name = corpusNameOf(file, format);
  if (name.startsWith('.')) {
    throw new UserFacingError('bad-corpus-file-name', `"${name}" starts with a dot, so the corpus folder would ignore it; rename it and try again. Nothing was added.`);
  }
  const target = path.join(corpusDir, name);
  const samePath = path.resolve(file) === path.resolve(target);
  const clashes = !samePath && existing.includes(name);
  const identical = clashes && bytes.equals(await readCorpusFile(target));
  if (clashes && !identical && !options.replace) {
    throw new UserFacingError(
      'corpus-file-exists',
      `The corpus folder ${corpusDir} already has a file named ${name}; adding "${file}" would replace it and remove its papers. ` +
        'Rename your file, or pass --replace to replace it. Nothing was added.',
    );
  }
  return { file, name, bytes, parsed, copy: !samePath && !identical, replaced: clashes && !identical };
}

/**
 * Copy operator-supplied corpus files into the corpus folder (atomically, the very bytes that were
 * checked), so that a rebuild from the corpus can always recover them. Every file is checked first:
 * an unknown format, a file that is not an ordinary text file or is too large, a file without any
 * valid paper, or (without `replace`) a name already used by another corpus file is a
 * UserFacingError, and then nothing at all is copied. Call it under the index writer lock.
 */
export async function addCorpusFiles(corpusDir: string, files: readonly string[], options: AddCorpusFilesOptions = {}): Promise<AddedCorpusFile[]> {
  await ensureDirectory(corpusDir);
  const existing = await listCorpusFiles(corpusDir);
  const checked: CheckedFile[] = [];
  for (const file of files) {
    const next = await checkFile(corpusDir, existing, file, options);
    const clash = checked.find((c) => c.name === next.name);
    if (clash) {
      throw new UserFacingError('duplicate-corpus-file-name', `"${clash.file}" and "${file}" would both be stored as ${next.name} in the corpus folder; rename one of them. Nothing was added.`);
    }
    checked.push(next);
  }
  for (const { name, bytes, copy } of checked) if (copy) await writeFileAtomic(path.join(corpusDir, name), bytes);
  return checked.map(({ name, parsed, replaced }) => ({ name, papers: parsed.papers.length, skipped: parsed.skipped, replaced }));
}
