import { decodeSetting, encodeSetting, type SettingKey, type SettingValue } from '../settings-keys.js';
import type { SettingsStore } from '../settings-store.js';
import type { StateDatabase } from './open-state-database.js';

/** SettingsStore in the SQLite state database (values as JSON text). */
export class SqliteSettingsStore implements SettingsStore {
  constructor(private readonly db: StateDatabase) {}

  async get<K extends SettingKey>(key: K): Promise<SettingValue<K> | undefined> {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row === undefined ? undefined : decodeSetting(key, row.value);
  }

  async set<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void> {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, encodeSetting(key, value));
  }

  async delete(key: SettingKey): Promise<void> {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }
}
