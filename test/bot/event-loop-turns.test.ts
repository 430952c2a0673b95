import { describe, expect, it } from 'vitest';
import { createEventLoopTurns } from '../../src/bot/event-loop-turns.js';

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createEventLoopTurns', () => {
  it('next(): one caller per turn, in order, with other callbacks running between them', async () => {
    const turns = createEventLoopTurns();
    const order: string[] = [];
    const waiting = [1, 2, 3].map((n) => turns.next().then(() => order.push(`turn ${n}`)));
    setImmediate(() => order.push('other I/O'));
    await Promise.all(waiting);
    expect(order.filter((o) => o.startsWith('turn'))).toEqual(['turn 1', 'turn 2', 'turn 3']);
    expect(order.indexOf('other I/O')).toBeLessThan(order.indexOf('turn 3'));
  });

  it('slice(): runs short tasks first come first served and hands back their results and errors', async () => {
    const turns = createEventLoopTurns();
    const results = await Promise.allSettled([turns.slice(() => 'a'), turns.slice(() => { throw new Error('boom'); }), turns.slice(() => 'c')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'boom', 'c']);
  });

  it('slice(): a batch longer than the slice yields to other callbacks before the rest runs', async () => {
    const turns = createEventLoopTurns(0);
    const order: string[] = [];
    const tasks = [1, 2, 3].map((n) => turns.slice(() => order.push(`task ${n}`)));
    const other = immediate().then(() => order.push('other I/O'));
    await Promise.all([...tasks, other]);
    expect(order).toEqual(['task 1', 'other I/O', 'task 2', 'task 3']);
  });
});
