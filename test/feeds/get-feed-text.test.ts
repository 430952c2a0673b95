import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedError } from '../../src/feeds/feed-error.js';
import { createRequestPacer } from '../../src/feeds/feed-timers.js';
import { getFeedText, type FeedRetry, type GetFeedTextRequest } from '../../src/feeds/get-feed-text.js';
import { startFakeFeedHttp, type FakeFeedHttp } from '../support/fake-feed-http.js';
import { createFakeFeedTimers, type FakeFeedTimers } from '../support/fake-feed-timers.js';
import { rejection } from '../support/rejection.js';

const BODY = '<feed xmlns="http://www.w3.org/2005/Atom"></feed>';

describe('getFeedText', () => {
  let server: FakeFeedHttp;
  let timers: FakeFeedTimers;
  let retries: FeedRetry[];

  beforeEach(async () => {
    server = await startFakeFeedHttp(() => ({ contentType: 'application/atom+xml', body: BODY }));
    timers = createFakeFeedTimers();
    retries = [];
  });
  afterEach(async () => {
    await server.close();
  });

  function request(overrides: Partial<GetFeedTextRequest> = {}): GetFeedTextRequest {
    return {
      url: `${server.baseURL}/api/query?search_query=cat%3Acs.LG`,
      accept: 'application/atom+xml',
      http: { userAgent: 'paperbot-test (+mailto:ops@example.org)', timeoutMs: 30_000 },
      timers,
      pacer: createRequestPacer(0, timers),
      onRetry: (retry) => retries.push(retry),
      ...overrides,
    };
  }

  async function failure(promise: Promise<unknown>): Promise<FeedError> {
    const error = await rejection(promise);
    expect(error).toBeInstanceOf(FeedError);
    return error as FeedError;
  }

  it('sends the User-Agent and Accept headers and returns the body', async () => {
    await expect(getFeedText(request())).resolves.toBe(BODY);
    expect(server.requests[0]?.headers['user-agent']).toBe('paperbot-test (+mailto:ops@example.org)');
    expect(server.requests[0]?.headers.accept).toBe('application/atom+xml');
  });

  it('honours Retry-After on a 503, then retries', async () => {
    server.enqueue({ kind: 'status', status: 503, headers: { 'retry-after': '5' } });
    await expect(getFeedText(request())).resolves.toBe(BODY);
    expect(server.requests).toHaveLength(2);
    expect(timers.sleeps).toEqual([5_000]);
    expect(retries).toEqual([{ attempt: 1, waitMs: 5_000, reason: expect.stringMatching(/^HTTP 503 Service Unavailable from 127\.0\.0\.1:\d+$/) }]);
  });

  it('backs off on a 429 without Retry-After', async () => {
    server.enqueue({ kind: 'status', status: 429 });
    server.enqueue({ kind: 'status', status: 429 });
    await expect(getFeedText(request())).resolves.toBe(BODY);
    expect(timers.sleeps).toEqual([2_000, 4_000]);
  });

  it('caps the backoff at the longest wait a fetch accepts', async () => {
    for (let i = 0; i < 3; i += 1) server.enqueue({ kind: 'status', status: 502 });
    const http = { userAgent: 'x', timeoutMs: 1_000, maxRetries: 3, maxRetryWaitMs: 3_000 };
    await expect(getFeedText(request({ http }))).resolves.toBe(BODY);
    expect(timers.sleeps).toEqual([2_000, 3_000, 3_000]);
  });

  it('fails at once when Retry-After asks for more than the bound', async () => {
    server.enqueue({ kind: 'status', status: 503, headers: { 'retry-after': '3600' } });
    const error = await failure(getFeedText(request({ http: { userAgent: 'x', timeoutMs: 1_000, maxRetryWaitMs: 60_000 } })));
    expect(error.kind).toBe('rate-limited');
    expect(error.message).toMatch(/Retry-After asks for 3600 s, more than the 60 s a fetch waits/);
    expect(server.requests).toHaveLength(1);
    expect(timers.sleeps).toEqual([]);
  });

  it('gives up after the retries and says how many attempts were made', async () => {
    for (let i = 0; i < 3; i += 1) server.enqueue({ kind: 'status', status: 503, headers: { 'retry-after': '1' } });
    const error = await failure(getFeedText(request()));
    expect(error.message).toMatch(/^HTTP 503 Service Unavailable from .* \(3 attempts\)$/);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry other statuses', async () => {
    server.enqueue({ kind: 'status', status: 404 });
    const error = await failure(getFeedText(request()));
    expect(error).toMatchObject({ kind: 'http', message: expect.stringMatching(/^HTTP 404 Not Found/) });
    expect(server.requests).toHaveLength(1);
  });

  it('times out a request that hangs, without retrying it', async () => {
    server.enqueue({ kind: 'hang' });
    const pending = getFeedText(request());
    await server.waitForRequests(1);
    timers.expireTimeouts();
    const error = await failure(pending);
    expect(error).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/^no complete answer from 127\.0\.0\.1:\d+ within 30 s$/) });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a response cut off half-way', async () => {
    server.enqueue({ kind: 'truncate' });
    await expect(getFeedText(request())).resolves.toBe(BODY);
    expect(server.requests).toHaveLength(2);
    expect(retries[0]?.reason).toMatch(/^connection to 127\.0\.0\.1:\d+ failed/);
  });

  it('refuses a body over the size limit', async () => {
    server.enqueue({ kind: 'body', body: 'x'.repeat(2_000) });
    const error = await failure(getFeedText(request({ http: { userAgent: 'x', timeoutMs: 1_000, maxResponseBytes: 1_000 } })));
    expect(error).toMatchObject({ kind: 'too-large', message: 'response larger than 1000 bytes' });
    expect(server.requests).toHaveLength(1);
  });

  it('reports a server that is not there as a network failure after the retries', async () => {
    const url = `${server.baseURL}/api/query`;
    await server.close();
    const error = await failure(getFeedText(request({ url })));
    expect(error).toMatchObject({ kind: 'network', message: expect.stringMatching(/connection to 127\.0\.0\.1:\d+ failed: ECONNREFUSED \(3 attempts\)/) });
    expect(timers.sleeps).toEqual([2_000, 4_000]);
    server = await startFakeFeedHttp(() => ({ contentType: 'text/plain', body: '' }));
  });

  it('stops when the caller cancels', async () => {
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = getFeedText(request({ signal: controller.signal }));
    await server.waitForRequests(1);
    controller.abort();
    expect(await failure(pending)).toMatchObject({ kind: 'cancelled' });
  });
});
