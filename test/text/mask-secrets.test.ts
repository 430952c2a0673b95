import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/text/mask-secrets.js';

describe('maskSecrets', () => {
  it('masks the userinfo of any URL, password with @ included, keeping scheme and host', () => {
    expect(maskSecrets('OPENAI_BASE_URL: Invalid URL (got "ftp://admin:hunter2@example.org/v1")')).toBe(
      'OPENAI_BASE_URL: Invalid URL (got "ftp://[redacted]@example.org/v1")',
    );
    expect(maskSecrets('connect https://user:p@ss@db.internal:5432/x failed')).toBe('connect https://[redacted]@db.internal:5432/x failed');
    expect(maskSecrets('http://bob@host/')).toBe('http://[redacted]@host/');
  });

  it('masks key and token query parameters', () => {
    expect(maskSecrets('GET https://api.example.org/v1?api_key=abc123&x=1')).toBe('GET https://api.example.org/v1?api_key=[redacted]&x=1');
  });

  it('masks interaction tokens, bearer tokens and sk- keys', () => {
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmFiY2RlZmdoaWprbG1ub3A';
    expect(maskSecrets(`/interactions/987654321098765432/${token}/callback`)).toBe('/interactions/987654321098765432/[redacted]/callback');
    expect(maskSecrets('Authorization: Bearer abcdefghijklmnopqrstuvwxyz')).toBe('Authorization: Bearer [redacted]');
    expect(maskSecrets('key sk-test_fake_key_value_0001 rejected')).toBe('key sk-[redacted] rejected');
  });

  it('masks every occurrence of a known secret, ignoring absent or very short ones', () => {
    expect(maskSecrets('key local-key-123 and again local-key-123', ['local-key-123', undefined, 'ab'])).toBe('key [redacted] and again [redacted]');
  });

  it('leaves ordinary text alone', () => {
    const text = 'GET /channels/123/messages with 3 results from https://arxiv.org/abs/2303.16727 (e-mail me@example.org)';
    expect(maskSecrets(text)).toBe(text);
  });
});
