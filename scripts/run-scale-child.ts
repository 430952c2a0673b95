/**
 * Start one step of the scale benchmark (bench-scale-child) in its own process; resolves with the JSON
 * line it prints last. The child runs the project compiled to JavaScript (as `npm start` and the
 * `paperbot` CLI run it from dist/), not through tsx, whose loader would add its own start-up time and
 * memory to the figures: compiled once per benchmark run under node_modules/.cache, removed at exit.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTypeScript } from './compile-typescript.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');

let compiled: Promise<string> | undefined;

/** The folder with this run's compiled child script (compiled on first use). */
function compiledScripts(): Promise<string> {
  compiled ??= (async () => {
    const outdir = path.join(ROOT, 'node_modules', '.cache', `paperbot-bench-${process.pid}-${Date.now().toString(36)}`);
    process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
    await compileTypeScript(ROOT, outdir, ['src', 'commands', 'scripts']);
    return path.join(outdir, 'scripts');
  })();
  return compiled;
}

export async function runScaleChild(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Record<string, number>> {
  const script = path.join(await compiledScripts(), 'bench-scale-child.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`bench child ${args[0]} failed (exit ${code}): ${err.slice(-2000)}`));
      else resolve(JSON.parse(last) as Record<string, number>);
    });
  });
}
