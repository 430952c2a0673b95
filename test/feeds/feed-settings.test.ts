import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { feedUserAgent, loadFeedSettings, parseFeedSettings } from '../../src/feeds/feed-settings.js';

const parsing = (env: NodeJS.ProcessEnv) => () => parseFeedSettings(env);

describe('parseFeedSettings', () => {
  it('defaults to the real services, Hugging Face daily papers and a 30 s timeout', () => {
    expect(parseFeedSettings({})).toEqual({
      feeds: [{ kind: 'hf-daily', name: 'hf:daily' }],
      arxivApiBase: 'https://export.arxiv.org',
      hfApiBase: 'https://huggingface.co',
      http: { userAgent: feedUserAgent(undefined), timeoutMs: 30_000 },
    });
  });

  it('reads FEEDS, the base URLs (without trailing slash), the contact and the timeout', () => {
    const settings = parseFeedSettings({
      FEEDS: 'arxiv:cat:cs.LG AND abs:"continual learning"; hf:daily',
      ARXIV_API_BASE: 'http://127.0.0.1:4010/',
      HF_API_BASE: 'http://127.0.0.1:4011',
      FEEDS_CONTACT: 'mailto:ops@example.org',
      FEED_TIMEOUT_MS: '5000',
    });
    expect(settings.feeds.map((feed) => feed.name)).toEqual(['arxiv:cat:cs.LG AND abs:"continual learning"', 'hf:daily']);
    expect(settings.arxivApiBase).toBe('http://127.0.0.1:4010');
    expect(settings.hfApiBase).toBe('http://127.0.0.1:4011');
    expect(settings.http).toEqual({ userAgent: 'paperbot/0.1 (Discord research-digest bot; +mailto:ops@example.org)', timeoutMs: 5000 });
  });

  it('says in the User-Agent when no contact is configured', () => {
    expect(feedUserAgent(undefined)).toBe('paperbot/0.1 (Discord research-digest bot; operator contact not configured: set FEEDS_CONTACT)');
  });

  it('names the variable of a bad value', () => {
    expect(parsing({ FEEDS: 'hf:daily; nope' })).toThrow(ConfigError);
    expect(parsing({ FEEDS: 'hf:daily; nope' })).toThrow('FEEDS: item 2: unknown feed "nope"');
    expect(parsing({ ARXIV_API_BASE: 'ftp://example.org' })).toThrow('ARXIV_API_BASE: must be an http(s) URL (got "ftp://example.org")');
    expect(parsing({ HF_API_BASE: 'not a url' })).toThrow('HF_API_BASE: must be an http(s) URL');
    expect(parsing({ FEED_TIMEOUT_MS: '10' })).toThrow('FEED_TIMEOUT_MS:');
    expect(parsing({ FEEDS_CONTACT: 'ops@example.org\r\nX-Injected: 1' })).toThrow('FEEDS_CONTACT: must be printable ASCII');
    expect(parsing({ FEEDS: 'hf:daily', FEEDS_FILE: 'feeds.txt' })).toThrow('FEEDS_FILE: set either FEEDS or FEEDS_FILE, not both');
  });
});

describe('loadFeedSettings', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the feeds from FEEDS_FILE, relative to the base folder', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'paperbot-feeds-'));
    await writeFile(path.join(dir, 'feeds.txt'), '# our feeds\narxiv:cat:cs.CV\n\nhf:daily\n');
    const settings = await loadFeedSettings({ FEEDS_FILE: 'feeds.txt' }, dir);
    expect(settings.feeds.map((feed) => feed.name)).toEqual(['arxiv:cat:cs.CV', 'hf:daily']);
  });

  it('names FEEDS_FILE, the file and the line of a bad feed, and a missing file', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'paperbot-feeds-'));
    await writeFile(path.join(dir, 'feeds.txt'), 'hf:daily\nrss:x\n');
    await expect(loadFeedSettings({ FEEDS_FILE: 'feeds.txt' }, dir)).rejects.toThrow(/FEEDS_FILE: in feeds.txt, line 2: unknown feed "rss:x"/);
    await expect(loadFeedSettings({ FEEDS_FILE: 'missing.txt' }, dir)).rejects.toThrow(/FEEDS_FILE: cannot read .*missing\.txt \(ENOENT\)/);
  });
});
