import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../support/run-cli.js';

/** Relative import specifiers of a TypeScript file (static `from '…'` and dynamic `import('…')`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
}

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

describe('the build (dist/) holds only shipped code', () => {
  it('compiles only src/ and commands/', () => {
    const build = JSON.parse(readFileSync(path.join(PROJECT_DIR, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(build.include.sort()).toEqual(['commands', 'src']);
  });

  it('shipped code imports nothing from test/ or scripts/', () => {
    const offenders: string[] = [];
    for (const root of ['src', 'commands']) {
      for (const file of typescriptFiles(path.join(PROJECT_DIR, root))) {
        for (const spec of relativeImports(file)) {
          const target = path.relative(PROJECT_DIR, path.resolve(path.dirname(file), spec));
          if (/^(?:test|scripts)(?:\/|$)/.test(target)) offenders.push(`${path.relative(PROJECT_DIR, file)} → ${target}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
