import type { SettingKey, SettingValue } from './settings-keys.js';

/** Small persisted settings (digest channel, topics, schedule…), typed by key (see SETTINGS). */
export interface SettingsStore {
  get<K extends SettingKey>(key: K): Promise<SettingValue<K> | undefined>;
  set<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void>;
  delete(key: SettingKey): Promise<void>;
}
