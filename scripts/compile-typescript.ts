/**
 * The project's TypeScript compiled to JavaScript, one file in and one file out (esbuild, the transpiler
 * tsx uses; no bundling, so imports stay as written and find the compiled files), for the processes the
 * tests and benchmarks start: node runs them without tsx's loader (its start-up time and the memory it
 * holds). `outdir` should be inside the project (under node_modules/.cache), so the compiled files find
 * node_modules and the project root as the sources do.
 */
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

export async function compileTypeScript(root: string, outdir: string, folders: readonly string[]): Promise<void> {
  await mkdir(outdir, { recursive: true });
  const entryPoints = folders.flatMap((folder) =>
    readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .map((file) => path.join(root, folder, file)),
  );
  await build({ entryPoints, outdir, outbase: root, format: 'esm', platform: 'node', target: 'node20', tsconfig: path.join(root, 'tsconfig.json'), logLevel: 'error' });
}
