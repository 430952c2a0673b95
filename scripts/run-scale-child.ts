/** Start one step of the scale benchmark (bench-scale-child) in its own process; resolves with the JSON line it prints last. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const EXT = path.extname(fileURLToPath(import.meta.url)); // .js from dist, .ts under tsx

export function runScaleChild(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, path.join(HERE, `bench-scale-child${EXT}`), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
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
