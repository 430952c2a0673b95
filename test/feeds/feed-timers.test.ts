import { describe, expect, it } from 'vitest';
import { createRequestPacer } from '../../src/feeds/feed-timers.js';
import { createFakeFeedTimers } from '../support/fake-feed-timers.js';

describe('createRequestPacer', () => {
  it('keeps the gap between the end of one request and the start of the next, and reports each wait', async () => {
    const timers = createFakeFeedTimers(0);
    const waits: number[] = [];
    const pacer = createRequestPacer(3_000, timers, (ms) => waits.push(ms));
    const starts: number[] = [];
    const request = (duration: number) => () => {
      starts.push(timers.now());
      return timers.sleep(duration);
    };
    await pacer.run(request(500));
    await pacer.run(request(0));
    await timers.sleep(5_000); // long enough: no wait before the third
    await pacer.run(request(0));
    expect(starts).toEqual([0, 3_500, 8_500]);
    expect(waits).toEqual([3_000]);
  });
});
