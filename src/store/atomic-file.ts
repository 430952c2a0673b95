import { randomBytes } from 'node:crypto';
import { access, copyFile, link, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FileDetails, FileStorage, ListFilesFilter } from 'vectra';
import { ensureDirectory } from './ensure-directory.js';

/** Temp files are `<name>.tmp-<pid>-<random>` next to their target; stale ones may be removed by a writer. */
export const TEMP_MARKER = '.tmp-';

function tempPathFor(filePath: string): string {
  return `${filePath}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** fsync a directory so a rename inside it is durable (ignored where directories cannot be opened). */
export async function fsyncDir(dirPath: string): Promise<void> {
  let handle;
  try {
    handle = await open(dirPath, 'r');
    await handle.sync();
  } catch {
    // Some platforms/filesystems do not support fsync on directories; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}

/**
 * Write a file atomically: the content goes to a temp file in the same directory, is fsynced, then
 * renamed over the target and the directory is fsynced. A crash at any point leaves either the old
 * file or the new one, never a partial file. `content` may be an async sequence of chunks, so very
 * large files are streamed (never held as one string); `onChunk` runs after each chunk is written.
 */
export async function writeFileAtomic(
  filePath: string,
  content: string | Buffer | AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
  onChunk?: (chunksWritten: number) => void | Promise<void>,
): Promise<void> {
  const temp = tempPathFor(filePath);
  const handle = await open(temp, 'w', 0o644);
  let renamed = false;
  try {
    if (typeof content === 'string' || Buffer.isBuffer(content)) {
      await handle.writeFile(content);
    } else {
      let count = 0;
      for await (const chunk of content as AsyncIterable<string | Buffer>) {
        await handle.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
        count += 1;
        await onChunk?.(count);
      }
    }
    await handle.sync();
    await handle.close();
    await rename(temp, filePath);
    renamed = true;
    await fsyncDir(path.dirname(filePath));
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }
}

/** Hard-link `from` to `to`, or copy it where links are not possible (another device, no support). */
export async function linkOrCopyFile(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

/**
 * A vectra `FileStorage` on the local file system whose writes are atomic (temp file + fsync +
 * rename + directory fsync). vectra's default LocalFileStorage writes index.json in place, so a
 * kill during a save leaves a truncated, unreadable index; with this storage it cannot.
 */
export class AtomicFileStorage implements FileStorage {
  async createFile(filePath: string, content: Buffer | string): Promise<void> {
    if (await this.pathExists(filePath)) throw new Error(`File already exists: ${filePath}`);
    await writeFileAtomic(filePath, content);
  }

  async createFolder(folderPath: string): Promise<void> {
    await ensureDirectory(folderPath);
  }

  async deleteFile(filePath: string): Promise<void> {
    await unlink(filePath);
  }

  async deleteFolder(folderPath: string): Promise<void> {
    await rm(folderPath, { recursive: true });
  }

  async getDetails(fileOrFolderPath: string): Promise<FileDetails> {
    const stats = await stat(fileOrFolderPath);
    return { name: path.basename(fileOrFolderPath), path: fileOrFolderPath, isFolder: stats.isDirectory() };
  }

  async listFiles(folderPath: string, filter: ListFilesFilter = 'all'): Promise<FileDetails[]> {
    const entries = await readdir(folderPath, { withFileTypes: true });
    return entries
      .filter((entry) => filter === 'all' || (filter === 'folders') === entry.isDirectory())
      .map((entry) => ({ name: entry.name, path: path.join(folderPath, entry.name), isFolder: entry.isDirectory() }));
  }

  async pathExists(fileOrFolderPath: string): Promise<boolean> {
    try {
      await access(fileOrFolderPath);
      return true;
    } catch {
      return false;
    }
  }

  async readFile(filePath: string): Promise<Buffer> {
    return readFile(filePath);
  }

  async upsertFile(filePath: string, content: Buffer | string): Promise<void> {
    await writeFileAtomic(filePath, content);
  }
}
