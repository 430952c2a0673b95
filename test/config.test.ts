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
  });

  it('holds only core settings: no Discord token or digest settings reach the core', () => {
    const config = loadConfig({ DISCORD_TOKEN: 'discord-secret-token-value', DIGEST_TOPICS: 'agents' }, ROOT);
    expect(Object.keys(config).sort()).toEqual(['answer', 'corpusDir', 'dataDir', 'database', 'embedding', 'indexDir', 'logLevel', 'model', 'paperStore', 'promptsDir', 'retrieval', 'stateDir', 'verify']);
    expect(JSON.stringify(config)).not.toContain('discord-secret-token-value');
  });

  it('treats empty values (as copied from .env.example) as unset', () => {
    const config = loadConfig({ OPENAI_API_KEY: '', OPENAI_BASE_URL: '', MODEL_CONCURRENCY: '' }, ROOT);
    expect(config.model.enabled).toBe(false);
    expect(config.model.concurrency).toBe(4);
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

  it('resolves PAPERBOT_DATA_DIR against the project', () => {
    const config = loadConfig({ PAPERBOT_DATA_DIR: 'var/pb' }, ROOT);
    expect(config.corpusDir).toBe(path.join(ROOT, 'var', 'pb', 'corpus'));
    expect(config.stateDir).toBe(path.join(ROOT, 'var', 'pb', 'state'));
  });

  it.each([
    ['OPENAI_TIMEOUT_MS', 'soon'],
    ['MODEL_CONCURRENCY', '0'],
    ['OPENAI_BASE_URL', 'localhost:11434'],
    ['LOG_LEVEL', 'loud'],
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
