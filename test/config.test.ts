import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const ROOT = '/srv/paperbot';

describe('loadConfig', () => {
  it('works with nothing set: offline, bundled data dir, documented defaults', () => {
    const config = loadConfig({}, ROOT);
    expect(config.model.enabled).toBe(false);
    expect(config.embedding.model).toBeUndefined();
    expect(config.dataDir).toBe(path.join(ROOT, 'data'));
    expect(config.indexDir).toBe(path.join(ROOT, 'data', 'index'));
    expect(config.promptsDir).toBe(path.join(ROOT, 'prompts'));
    expect(config.model.chatModel).toBe('gpt-4o-mini');
    expect(config.model.concurrency).toBe(4);
    expect(config.answer).toEqual({ contextTokenBudget: 3000, historyTokenBudget: 1000, maxQuestionChars: 1000 });
    expect(config.digest).toEqual({ channelId: undefined, cron: '0 9 * * 1', timezone: 'UTC', topics: [] });
  });

  it('treats empty values (as copied from .env.example) as unset', () => {
    const config = loadConfig({ OPENAI_API_KEY: '', OPENAI_BASE_URL: '', MODEL_CONCURRENCY: '', DIGEST_CRON: '  ' }, ROOT);
    expect(config.model.enabled).toBe(false);
    expect(config.model.concurrency).toBe(4);
    expect(config.digest.cron).toBe('0 9 * * 1');
  });

  it('turns the model on with either a key or a base URL, and embeddings default to the same server', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }, ROOT).model.enabled).toBe(true);
    const local = loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1', EMBEDDING_MODEL: 'nomic-embed-text' }, ROOT);
    expect(local.model.enabled).toBe(true);
    expect(local.model.apiKey).toBeUndefined();
    expect(local.embedding).toEqual({ model: 'nomic-embed-text', baseURL: 'http://localhost:11434/v1', apiKey: undefined, dimensions: undefined });
  });

  it('sends the chat key to the embedding server only when it is the same server', () => {
    const same = loadConfig({ OPENAI_API_KEY: 'sk-chat', EMBEDDING_MODEL: 'text-embedding-3-small' }, ROOT);
    expect(same.embedding.apiKey).toBe('sk-chat');
    const other = loadConfig({ OPENAI_API_KEY: 'sk-chat', EMBEDDING_MODEL: 'e5', EMBEDDING_BASE_URL: 'http://embeddings.internal:8080/v1' }, ROOT);
    expect(other.embedding.apiKey).toBeUndefined();
    const own = loadConfig({ OPENAI_API_KEY: 'sk-chat', EMBEDDING_MODEL: 'e5', EMBEDDING_BASE_URL: 'http://embeddings.internal:8080/v1', EMBEDDING_API_KEY: 'emb-key' }, ROOT);
    expect(own.embedding.apiKey).toBe('emb-key');
  });

  it('resolves PAPERBOT_DATA_DIR against the project and splits DIGEST_TOPICS on ";"', () => {
    const config = loadConfig({ PAPERBOT_DATA_DIR: 'var/pb', DIGEST_TOPICS: 'continual learning; RLHF ;; video' }, ROOT);
    expect(config.corpusDir).toBe(path.join(ROOT, 'var', 'pb', 'corpus'));
    expect(config.digest.topics).toEqual(['continual learning', 'RLHF', 'video']);
  });

  it.each([
    ['OPENAI_TIMEOUT_MS', 'soon'],
    ['MODEL_CONCURRENCY', '0'],
    ['OPENAI_BASE_URL', 'localhost:11434'],
    ['DISCORD_GUILD_ID', '12345'],
    ['LOG_LEVEL', 'loud'],
    ['DIGEST_TIMEZONE', 'Mars/Olympus'],
    ['DIGEST_CRON', 'every monday'],
  ])('fails start-up on a bad %s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value }, ROOT)).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, ROOT)).toThrow(new RegExp(`${name}:`));
  });

  it('never echoes a key in its error messages', () => {
    try {
      loadConfig({ OPENAI_API_KEY: 'sk-very-secret', MODEL_CONCURRENCY: 'many' }, ROOT);
      expect.unreachable('loadConfig should have thrown');
    } catch (error) {
      expect(String(error)).toMatch(/MODEL_CONCURRENCY/);
      expect(String(error)).not.toMatch(/sk-very-secret/);
    }
  });
});
