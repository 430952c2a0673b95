import { loadEnvironment } from '../app/load-environment.js';
import { runCli } from './run-cli.js';

/**
 * `paperbot … | head`: when the reader of stdout goes away, stop quietly with status 0 (nothing
 * more can be shown). A closed stderr (progress, warnings) is ignored, so work in progress — a
 * rebuild — still finishes; later writes to it are dropped.
 */
function handleClosedOutput(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw error;
  });
  process.stderr.on('error', () => {
    // Nowhere left to report it; keep going.
  });
}

handleClosedOutput();
process.exitCode = await runCli(process.argv.slice(2), {
  io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  loadConfig: () => loadEnvironment(process.env),
  env: process.env,
});
