import type pg from 'pg';
import { decodeSetting, encodeSetting, type SettingKey, type SettingValue } from '../settings-keys.js';
import type { SettingsStore } from '../settings-store.js';

/** SettingsStore in PostgreSQL (values as JSON text, typed by SETTINGS). */
export class PostgresSettingsStore implements SettingsStore {
  constructor(private readonly pool: pg.Pool) {}

  async get<K extends SettingKey>(key: K): Promise<SettingValue<K> | undefined> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0] === undefined ? undefined : decodeSetting(key, rows[0].value);
  }

  async set<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void> {
    await this.pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, encodeSetting(key, value)]);
  }

  async delete(key: SettingKey): Promise<void> {
    await this.pool.query('DELETE FROM settings WHERE key = $1', [key]);
  }
}
