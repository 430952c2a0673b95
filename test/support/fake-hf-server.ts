/**
 * A fake Hugging Face API serving daily papers (`GET /api/daily_papers?date=YYYY-MM-DD`) for tests:
 * the JSON list configured for each date (`[]` for other dates), or a one-shot behaviour of
 * `fake-feed-http.ts` (status, hang, body, truncate).
 *
 * ```ts
 * const hf = await startFakeHfServer({ '2025-01-08': [{ paper: { id: '2501.05005', … } }] });
 * hf.setDay('2025-01-07', items);  hf.enqueue({ kind: 'body', body: '{not json' });
 * hf.requests.map((r) => r.params.date);  await hf.close();
 * ```
 */
import { startFakeFeedHttp, type FakeFeedHttp } from './fake-feed-http.js';

export interface FakeHfServer extends FakeFeedHttp {
  setDay(date: string, items: readonly unknown[]): void;
}

export async function startFakeHfServer(days: Readonly<Record<string, readonly unknown[]>> = {}): Promise<FakeHfServer> {
  const byDate = new Map(Object.entries(days));
  const http = await startFakeFeedHttp((path, params) => {
    if (path !== '/api/daily_papers') return { status: 404, contentType: 'application/json', body: '{"error":"Not Found"}' };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(params.date ?? '')) return { status: 400, contentType: 'application/json', body: '{"error":"Invalid date"}' };
    return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(byDate.get(params.date!) ?? []) };
  });
  return { ...http, setDay: (date, items) => void byDate.set(date, items) };
}
