import { describe, expect, it } from 'vitest';
import { findWhatsNew, whatsNewEmbeds } from '../../src/bot/digest/whats-new.js';
import { openSqliteStateStores } from '../../src/state/sqlite/open-sqlite-state-stores.js';
import { createFakePaperbot, FAKE_PAPERS, fakePaper } from '../support/fake-paperbot.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 0, 13, 9, 0, 0);

async function fetchRunsWith(runs: { key: string; at: number; newIds?: string[]; failed?: { feed: string; error: string }[] }[]) {
  const state = openSqliteStateStores(':memory:');
  for (const run of runs) {
    await state.fetchRuns.claimRun({ runKey: run.key, owner: 'o', at: run.at, leaseMs: 60_000 });
    await state.fetchRuns.completeRun(run.key, 'o', { newPaperIds: run.newIds ?? [], updatedPaperIds: [], failedFeeds: run.failed ?? [], feeds: ['arxiv:cat:cs.LG', 'hf:daily'] }, run.at + 1);
  }
  return state;
}

describe('what is new for the digest', () => {
  it('the first digest lists the papers fetched in the past week; a feed failing in its latest fetch is named, one that recovered is not', async () => {
    const fresh = fakePaper('arxiv-2501.00001', 'Video Diffusion Models at Scale');
    const paperbot = createFakePaperbot({ papers: [...FAKE_PAPERS, fresh] });
    const state = await fetchRunsWith([
      { key: 'old', at: NOW - 9 * DAY, newIds: ['lora'] },
      { key: 'a', at: NOW - 3 * DAY, newIds: [fresh.id], failed: [{ feed: 'arxiv:cat:cs.LG', error: 'HTTP 503 (3 attempts)' }, { feed: 'hf:daily', error: 'timed out' }] },
      { key: 'b', at: NOW - 2 * DAY, failed: [{ feed: 'hf:daily', error: 'malformed JSON' }] },
    ]);
    const news = await findWhatsNew({ paperbot, fetchRuns: state.fetchRuns }, { topics: ['video diffusion', 'speculative decoding'], previous: undefined, now: NOW });
    expect(news.addedCount).toBe(1);
    expect(news.byTopic.map((t) => [t.topic, t.papers.map((p) => p.id)])).toEqual([
      ['video diffusion', [fresh.id]],
      ['speculative decoding', []],
    ]);
    expect(news.failedFeeds).toEqual([{ feed: 'hf:daily', error: 'malformed JSON' }]);
    const [lead] = whatsNewEmbeds(news, 2, true);
    expect(lead!.description).toBe("1 paper added since the last digest; 1 on the digest's topics.");
    expect(lead!.fields!.at(-1)).toEqual({ name: 'Feeds that failed (retried at the next fetch)', value: '• hf:daily: malformed JSON' });
    await state.close();
  });

  it('hostile titles and topics stay plain text; many new papers stay within Discord limits', async () => {
    const papers = Array.from({ length: 60 }, (_, i) => fakePaper(`p${i}`, `Video diffusion @everyone [click](https://evil.example) ${i} ${'x'.repeat(200)}`));
    const paperbot = createFakePaperbot({ papers: [...FAKE_PAPERS, ...papers] });
    const news = await findWhatsNew({ paperbot }, { topics: Array.from({ length: 12 }, () => 'video diffusion @here'), previous: { paperIds: FAKE_PAPERS.map((p) => p.id), postedAt: NOW - 7 * DAY }, now: NOW });
    const embeds = whatsNewEmbeds(news, 12, false);
    const text = JSON.stringify(embeds);
    expect(text).not.toContain('](https://evil.example)');
    expect(text).toContain('…and');
    expect(text).toContain('2 more topics are not listed.');
    for (const embed of embeds) {
      expect(embed.fields!.length).toBeLessThanOrEqual(25);
      const size = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + embed.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0);
      expect(size).toBeLessThanOrEqual(6000);
      for (const field of embed.fields!) expect(field.value.length).toBeLessThanOrEqual(1024);
    }
  });
});
