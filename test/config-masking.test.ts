import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig errors', () => {
  it('name the variable but mask credentials embedded in the rejected URL', () => {
    let error: unknown;
    try {
      loadConfig({ OPENAI_BASE_URL: 'ftp://admin:hunter2-secret@models.example.org/v1' }, '/srv/paperbot');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('OPENAI_BASE_URL');
    expect(message).toContain('"ftp://[redacted]@models.example.org/v1"');
    expect(message).not.toMatch(/admin|hunter2/);
  });
});
