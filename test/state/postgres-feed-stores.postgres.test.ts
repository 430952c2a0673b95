import { describe, expect, it } from 'vitest';
import { MIGRATIONS_TABLE } from '../../src/state/postgres/apply-migrations.js';
import { FEEDS_COMPONENT, FEEDS_MIGRATIONS } from '../../src/state/postgres/feed-migrations.js';
import { openPostgresStateStores } from '../../src/state/postgres/open-postgres-state-stores.js';
import { createTestSchema, queryTestDatabase } from '../support/postgres.js';
import { describeFeedStoreContract } from './feed-store-contract.js';

describeFeedStoreContract('PostgreSQL', async () => {
  const schema = await createTestSchema();
  return { open: () => openPostgresStateStores(schema.database({ poolMax: 2 })), destroy: () => schema.drop() };
});

describe('PostgreSQL feed migrations', () => {
  it('are their own component, each version recorded once, also when opened twice', async () => {
    const schema = await createTestSchema();
    try {
      await (await openPostgresStateStores(schema.database())).close();
      await (await openPostgresStateStores(schema.database())).close();
      const rows = await queryTestDatabase<{ version: number }>(`SELECT version FROM ${schema.name}.${MIGRATIONS_TABLE} WHERE component = $1 ORDER BY version`, [FEEDS_COMPONENT]);
      expect(rows.map((row) => row.version)).toEqual(FEEDS_MIGRATIONS.map((m) => m.version));
    } finally {
      await schema.drop();
    }
  });
});
