import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

function errnoError(code: string, syscall: string, filePath: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, ${syscall} '${filePath}'`), { code, syscall, path: filePath });
}

/**
 * Create a folder and its missing parents, one mkdir each. Unlike `mkdir({ recursive: true })`,
 * which retries forever on file systems that refuse new folders with ENOENT (such as /proc), a
 * refusal is thrown at once as the file-system error. A file where a folder should be is ENOTDIR.
 */
export async function ensureDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      if (!(await stat(current)).isDirectory()) throw errnoError('ENOTDIR', 'mkdir', current, 'not a directory');
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(current) === current) throw error;
      missing.push(current);
    }
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      // Another process may have created it meanwhile.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !(await stat(folder)).isDirectory()) throw error;
    }
  }
}
