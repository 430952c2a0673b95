import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { stateDatabasePath } from '../../src/state/sqlite/open-state-database.js';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import { describeFeedStoreContract } from './feed-store-contract.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describeFeedStoreContract('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-feed-state-'));
  dirs.push(dir);
  const file = stateDatabasePath(dir);
  return { open: async () => openSqliteStateStores(file), destroy: async () => undefined };
});
