/**
 * vitest globalSetup: one scratch folder for this test run where the first test file that needs a data
 * directory with a built index builds it (`makeIndexedDataDir`), so the other files copy it instead of
 * embedding the bundled corpus again. The folder is removed at the end of the run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run keeps the indexed data directory the test files copy (see indexed-data-dir.ts). */
    indexTemplateRoot: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'paperbot-index-template-'));
  project.provide('indexTemplateRoot', root);
  return () => rm(root, { recursive: true, force: true });
}
