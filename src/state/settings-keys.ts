import { z } from 'zod';

/**
 * Every persisted setting, key → schema of its value (stored as JSON). Persisted settings override
 * the environment. One typed map, as yuudachi's SettingsKeys.
 */
export const SETTINGS = {
  /** The channel digests are posted to (/digest channel). */
  'digest.channelId': z.string().min(1),
  /** Topics set with /digest topics (empty → configured or discovered ones). */
  'digest.topics': z.array(z.string()),
  'digest.cron': z.string(),
  'digest.timezone': z.string(),
  /** When the current schedule started (ms): earlier slots are never "missed". */
  'digest.activeSince': z.number().int().nonnegative(),
  /** Position of the next digest's topic in the rotation. */
  'digest.topicIndex': z.number().int().nonnegative(),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;

/** A stored setting does not match its schema (edited by hand, or written by another version). */
export class InvalidSettingError extends Error {
  constructor(key: SettingKey, detail: string) {
    super(`The stored setting ${key} is invalid (${detail}); set it again (e.g. with /digest).`);
  }
}

/** The JSON text stored for a setting (validated first: a wrong value never reaches the store). */
export function encodeSetting<K extends SettingKey>(key: K, value: SettingValue<K>): string {
  return JSON.stringify(SETTINGS[key].parse(value));
}

export function decodeSetting<K extends SettingKey>(key: K, text: string): SettingValue<K> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidSettingError(key, 'not JSON');
  }
  const parsed = SETTINGS[key].safeParse(json);
  if (!parsed.success) throw new InvalidSettingError(key, parsed.error.issues[0]?.message ?? 'wrong type');
  return parsed.data as SettingValue<K>;
}
