import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const ROOT = '/tmp/paperbot-root';

describe('VERIFY_CLAIMS / VERIFY_MODEL', () => {
  it('checks offline by default, with or without a model', () => {
    expect(loadConfig({}, ROOT).verify).toEqual({ mode: 'offline', model: undefined });
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }, ROOT).verify).toEqual({ mode: 'offline', model: undefined });
  });

  it('VERIFY_MODEL turns the model check on; VERIFY_CLAIMS overrides it', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test', VERIFY_MODEL: 'checker' }, ROOT).verify).toEqual({ mode: 'model', model: 'checker' });
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test', VERIFY_MODEL: 'checker', VERIFY_CLAIMS: 'off' }, ROOT).verify.mode).toBe('off');
    expect(loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1', VERIFY_CLAIMS: 'model' }, ROOT).verify).toEqual({ mode: 'model', model: undefined });
    expect(loadConfig({ VERIFY_CLAIMS: '' }, ROOT).verify.mode).toBe('offline');
  });

  it('a bad value, or the model check without a model, is a ConfigError naming the variable', () => {
    expect(() => loadConfig({ VERIFY_CLAIMS: 'sometimes' }, ROOT)).toThrow(/VERIFY_CLAIMS/);
    expect(() => loadConfig({ VERIFY_CLAIMS: 'model' }, ROOT)).toThrow(ConfigError);
    expect(() => loadConfig({ VERIFY_CLAIMS: 'model' }, ROOT)).toThrow(/VERIFY_CLAIMS/);
    expect(() => loadConfig({ VERIFY_MODEL: 'checker' }, ROOT)).toThrow(/VERIFY_MODEL/);
  });
});
