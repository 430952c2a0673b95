import { describe, expect, it } from 'vitest';
import { loadBotConfig } from '../../src/bot/load-bot-config.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const ROOT = '/srv/paperbot';

describe('loadBotConfig', () => {
  it('adds the documented Discord and digest defaults to the core configuration', () => {
    const config = loadBotConfig({}, ROOT);
    expect(config.discord).toEqual({ token: undefined, guildId: undefined, apiBase: undefined, userCooldownSeconds: 10, threadHistoryTurns: 12 });
    expect(config.digest).toEqual({ channelId: undefined, cron: '0 9 * * 1', timezone: 'UTC', topics: [] });
    expect(config.sharding).toEqual({ shardCount: 'auto', shard: undefined });
    expect(config.fetch).toEqual({ cron: '0 6 * * *', timezone: 'UTC', feeds: undefined });
    const { discord: _discord, digest: _digest, sharding: _sharding, fetch: _fetch, ...core } = config;
    expect(core).toEqual(loadConfig({}, ROOT));
  });

  it('reads the Discord variables, treats empty values as unset and splits DIGEST_TOPICS on ";"', () => {
    const config = loadBotConfig(
      { DISCORD_TOKEN: 'tok', DISCORD_GUILD_ID: '123456789012345678', USER_COOLDOWN_SECONDS: '0', DIGEST_CRON: '  ', DIGEST_TOPICS: 'continual learning; RLHF ;; video' },
      ROOT,
    );
    expect(config.discord).toMatchObject({ token: 'tok', guildId: '123456789012345678', userCooldownSeconds: 0 });
    expect(config.digest.cron).toBe('0 9 * * 1');
    expect(config.digest.topics).toEqual(['continual learning', 'RLHF', 'video']);
  });

  it.each([
    ['DISCORD_GUILD_ID', '12345'],
    ['DISCORD_API_BASE', 'discord.local'],
    ['USER_COOLDOWN_SECONDS', '-1'],
    ['THREAD_HISTORY_TURNS', 'lots'],
    ['DIGEST_CHANNEL_ID', 'general'],
    ['DIGEST_TIMEZONE', 'Mars/Olympus'],
    ['DIGEST_CRON', 'every monday'],
    ['MODEL_CONCURRENCY', '0'],
    ['SHARD_COUNT', 'lots'],
    ['SHARD_COUNT', '0'],
  ])('fails start-up on a bad %s, naming the variable', (name, value) => {
    expect(() => loadBotConfig({ [name]: value }, ROOT)).toThrow(ConfigError);
    expect(() => loadBotConfig({ [name]: value }, ROOT)).toThrow(new RegExp(`${name}:`));
  });

  it('names every bad variable at once, core and bot alike', () => {
    expect(() => loadBotConfig({ MODEL_CONCURRENCY: 'many', DISCORD_GUILD_ID: '1' }, ROOT)).toThrow(/MODEL_CONCURRENCY:[\s\S]*DISCORD_GUILD_ID:/);
  });

  it('never echoes the Discord token in its error messages', () => {
    try {
      loadBotConfig({ DISCORD_TOKEN: 'discord-secret-token-value', USER_COOLDOWN_SECONDS: 'soon' }, ROOT);
      expect.unreachable('loadBotConfig should have thrown');
    } catch (error) {
      expect(String(error)).toMatch(/USER_COOLDOWN_SECONDS/);
      expect(String(error)).not.toMatch(/discord-secret-token-value/);
    }
  });

  it('FETCH_CRON: daily by default, "off" disables, a bad pattern names the variable; feeds only when FEEDS or FEEDS_FILE is set', () => {
    const on = loadBotConfig({ FEEDS: 'arxiv:cat:cs.LG; hf:daily', FETCH_CRON: '30 5 * * *', DIGEST_TIMEZONE: 'Europe/Berlin' }, ROOT);
    expect(on.fetch).toMatchObject({ cron: '30 5 * * *', timezone: 'Europe/Berlin' });
    expect(on.fetch.feeds?.feeds.map((f) => f.name)).toEqual(['arxiv:cat:cs.LG', 'hf:daily']);
    expect(loadBotConfig({ FETCH_CRON: 'OFF' }, ROOT).fetch.cron).toBeNull();
    // As copied from .env.example: every feed variable empty → the default schedule, no feeds, no fetch.
    const empty = { FEEDS: '', FEEDS_FILE: '', FEEDS_CONTACT: '', FEED_TIMEOUT_MS: '', ARXIV_API_BASE: '', HF_API_BASE: '', FETCH_CRON: '' };
    expect(loadBotConfig(empty, ROOT).fetch).toEqual({ cron: '0 6 * * *', timezone: 'UTC', feeds: undefined });
    expect(() => loadBotConfig({ FETCH_CRON: 'every day' }, ROOT)).toThrow(/FETCH_CRON/);
    expect(() => loadBotConfig({ FEEDS: 'gopher:nope' }, ROOT)).toThrow(/FEEDS/);
    expect(() => loadBotConfig({ FEEDS_FILE: '/nonexistent/feeds.txt' }, ROOT)).toThrow(/FEEDS_FILE/);
  });
});
