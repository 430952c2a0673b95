import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination: stream }) };
}

const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmFiY2RlZmdoaWprbG1ub3A';

describe('createLogger', () => {
  it('masks interaction tokens in error URLs, messages and stacks (discord.js errors carry the request URL)', () => {
    const { lines, logger } = capture();
    const error = Object.assign(new Error(`Unknown Webhook at /webhooks/123456789012345678/${INTERACTION_TOKEN}/messages/@original`), {
      url: `https://discord.com/api/v10/webhooks/123456789012345678/${INTERACTION_TOKEN}/messages/%40original`,
      method: 'PATCH',
    });
    logger.error({ err: error, event: 'command-failed' }, `failed PATCH /interactions/987654321098765432/${INTERACTION_TOKEN}/callback`);
    const out = lines.join('');
    expect(out).toContain('[redacted]');
    expect(out).toContain('command-failed');
    expect(out).not.toContain(INTERACTION_TOKEN);
  });

  it('redacts secret keys and keys inside strings', () => {
    const { lines, logger } = capture();
    logger.info({ config: { model: { apiKey: 'sk-test_fake_key_value_0001' } }, note: 'header Bearer sk-test_fake_key_value_0001' }, 'hello');
    const out = lines.join('');
    expect(out).not.toContain('sk-test_fake_key_value_0001');
    expect(out).toContain('hello');
  });

  it('masks credentials embedded in URLs in messages and fields', () => {
    const { lines, logger } = capture();
    logger.warn({ baseURL: 'ftp://admin:hunter2-pw@example.org/v1' }, 'cannot reach https://bob:hunter2-pw@example.org/v1');
    const out = lines.join('');
    expect(out).not.toContain('hunter2-pw');
    expect(out).toContain('ftp://[redacted]@example.org/v1');
  });

  it('leaves ordinary text alone', () => {
    const { lines, logger } = capture();
    logger.info('GET /channels/123/messages with 3 results');
    expect(lines.join('')).toContain('"msg":"GET /channels/123/messages with 3 results"');
  });
});
