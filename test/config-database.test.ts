import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const ROOT = '/srv/paperbot';

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env, ROOT);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('DATABASE_URL, DATABASE_POOL_MAX and PAPER_STORE', () => {
  it('unset: the embedded stores, as before', () => {
    const config = loadConfig({}, ROOT);
    expect(config.database).toBeUndefined();
    expect(config.paperStore).toBe('local');
  });

  it('a postgres:// URL moves the state (and by default the papers) to PostgreSQL, pool of 10, statements bounded', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://bot:pw@db.internal:5432/paperbot' }, ROOT);
    expect(config.database).toEqual({ url: 'postgres://bot:pw@db.internal:5432/paperbot', poolMax: 10, statementTimeoutMs: 15_000 });
    expect(config.paperStore).toBe('postgres');
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/paperbot', DATABASE_POOL_MAX: '1', PAPER_STORE: 'local' }, ROOT)).toMatchObject({
      database: { poolMax: 1 },
      paperStore: 'local',
    });
  });

  it('a URL that is not postgres:// is refused naming the variable, its password masked', () => {
    const message = configError({ DATABASE_URL: 'mysql://bot:hunter2-secret@db.internal/paperbot' });
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(message).toContain('mysql://[redacted]@db.internal/paperbot');
    expect(message).not.toContain('hunter2');
    expect(configError({ DATABASE_URL: 'db.internal:5432' })).toContain('DATABASE_URL');
  });

  it.each([
    ['DATABASE_POOL_MAX', '0'],
    ['DATABASE_POOL_MAX', 'many'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '5'],
    ['PAPER_STORE', 'pgvector'],
  ])('a bad %s=%s is refused naming the variable', (name, value) => {
    expect(configError({ DATABASE_URL: 'postgres://db/paperbot', [name]: value })).toContain(`${name}:`);
  });

  it('PAPER_STORE=postgres without DATABASE_URL says what is missing', () => {
    expect(configError({ PAPER_STORE: 'postgres' })).toMatch(/PAPER_STORE: "postgres" needs DATABASE_URL/);
  });
});
