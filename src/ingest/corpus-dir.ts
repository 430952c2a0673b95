import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserFacingError } from '../errors.js';
import type { ParsedCorpus, Paper, SkippedRecord } from '../corpus/paper.js';
import { corpusFormatOf, parseCorpusFile, type CorpusFormat } from '../corpus/parse-corpus-file.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import type { CorpusFileStamp } from '../store/index-manifest.js';

/** Names of the corpus files (.txt / .jsonl / .ndjson) in a folder, sorted; [] when it does not exist. */
export async function listCorpusFiles(corpusDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(corpusDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.') || !corpusFormatOf(name)) continue;
    if ((await stat(path.join(corpusDir, name))).isFile()) files.push(name);
  }
  return files;
}

/** Size + mtime of every corpus file: the cheap fingerprint recorded in the index manifest. */
export async function stampCorpusDir(corpusDir: string): Promise<CorpusFileStamp[]> {
  const stamps: CorpusFileStamp[] = [];
  for (const name of await listCorpusFiles(corpusDir)) {
    const stats = await stat(path.join(corpusDir, name));
    stamps.push({ name, size: stats.size, mtimeMs: stats.mtimeMs });
  }
  return stamps;
}

/** Atomically copy a file (temp + fsync + rename), so a crash never leaves a half-copied corpus file. */
async function copyFileAtomic(from: string, to: string): Promise<void> {
  await writeFileAtomic(to, await readFile(from));
}

export interface EnsureCorpusResult {
  /** True when the folder had no corpus file and the bundled corpus was copied in. */
  seeded: boolean;
  files: string[];
}

/** Create the corpus folder if needed and seed it with the bundled corpus file when it has no corpus file. */
export async function ensureCorpus(corpusDir: string, bundledCorpusFile: string): Promise<EnsureCorpusResult> {
  await mkdir(corpusDir, { recursive: true });
  const existing = await listCorpusFiles(corpusDir);
  if (existing.length > 0) return { seeded: false, files: existing };
  await copyFileAtomic(bundledCorpusFile, path.join(corpusDir, path.basename(bundledCorpusFile)));
  return { seeded: true, files: await listCorpusFiles(corpusDir) };
}

/**
 * Parse every corpus file of a folder (sorted by name) into one corpus. A paper whose id already came
 * from an earlier file (or earlier in the same file) is reported as skipped. A missing folder is a
 * UserFacingError.
 */
export async function loadCorpusDir(corpusDir: string): Promise<ParsedCorpus> {
  try {
    if (!(await stat(corpusDir)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new UserFacingError('corpus-missing', `The corpus folder ${corpusDir} does not exist or is not a folder.`, { cause: error });
  }
  const papers: Paper[] = [];
  const skipped: SkippedRecord[] = [];
  const firstSeen = new Map<string, Paper>();
  for (const name of await listCorpusFiles(corpusDir)) {
    const parsed = await parseCorpusFile(path.join(corpusDir, name));
    skipped.push(...parsed.skipped);
    for (const paper of parsed.papers) {
      const first = firstSeen.get(paper.id);
      if (first) {
        skipped.push({
          file: paper.source.file,
          line: paper.source.line,
          reason: `duplicate of "${first.title.slice(0, 60)}" (${first.source.file}:${first.source.line})`,
        });
        continue;
      }
      firstSeen.set(paper.id, paper);
      papers.push(paper);
    }
  }
  return { papers, skipped };
}

export interface AddedCorpusFile {
  /** Name of the file inside the corpus folder. */
  name: string;
  papers: number;
  skipped: SkippedRecord[];
  /** True when a corpus file of that name (with other content) was replaced. */
  replaced: boolean;
}

export interface AddCorpusFilesOptions {
  format?: CorpusFormat;
  /**
   * Allow a file to replace a corpus file of the same name with other content (its papers leave the
   * corpus). Without it that is a UserFacingError and nothing is copied. Re-adding the corpus file
   * itself (same path) or a file with identical content is never a replacement.
   */
  replace?: boolean;
}

async function sameContent(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([readFile(a), readFile(b)]);
  return left.equals(right);
}

/**
 * Copy operator-supplied corpus files into the corpus folder (atomically), so that a rebuild from the
 * corpus can always recover them. Each file is parsed first: an unknown format, a file without any
 * valid paper, or (without `replace`) a name already used by another corpus file is a
 * UserFacingError, and then nothing at all is copied.
 */
export async function addCorpusFiles(corpusDir: string, files: readonly string[], options: AddCorpusFilesOptions = {}): Promise<AddedCorpusFile[]> {
  await mkdir(corpusDir, { recursive: true });
  const existing = await listCorpusFiles(corpusDir);
  const checked: { file: string; name: string; parsed: ParsedCorpus; copy: boolean; replaced: boolean }[] = [];
  for (const file of files) {
    const format = options.format ?? corpusFormatOf(file);
    const parsed = await parseCorpusFile(file, format ? { format } : {});
    if (parsed.papers.length === 0) {
      throw new UserFacingError('empty-corpus-file', `No valid paper found in "${path.basename(file)}"${parsed.skipped.length ? ` (${parsed.skipped.length} malformed records)` : ''}; nothing was added.`);
    }
    let name = path.basename(file);
    // A file given with an explicit format but another extension is stored under a recognised one.
    if (!corpusFormatOf(name) && format) name = `${name}.${format === 'jsonl' ? 'jsonl' : 'txt'}`;
    if (name.startsWith('.')) {
      throw new UserFacingError('bad-corpus-file-name', `"${name}" starts with a dot, so the corpus folder would ignore it; rename it and try again. Nothing was added.`);
    }
    const clash = checked.find((c) => c.name === name);
    if (clash) {
      throw new UserFacingError('duplicate-corpus-file-name', `"${clash.file}" and "${file}" would both be stored as ${name} in the corpus folder; rename one of them. Nothing was added.`);
    }
    const target = path.join(corpusDir, name);
    const samePath = path.resolve(file) === path.resolve(target);
    const clashes = !samePath && existing.includes(name);
    const identical = clashes && (await sameContent(file, target));
    if (clashes && !identical && !options.replace) {
      throw new UserFacingError(
        'corpus-file-exists',
        `The corpus folder ${corpusDir} already has a file named ${name}; adding "${file}" would replace it and remove its papers. ` +
          'Rename your file, or pass --replace to replace it. Nothing was added.',
      );
    }
    checked.push({ file, name, parsed, copy: !samePath && !identical, replaced: clashes && !identical });
  }
  const results: AddedCorpusFile[] = [];
  for (const { file, name, parsed, copy, replaced } of checked) {
    if (copy) await copyFileAtomic(file, path.join(corpusDir, name));
    results.push({ name, papers: parsed.papers.length, skipped: parsed.skipped, replaced });
  }
  return results;
}
