import { describe, expect, it } from 'vitest';
import { formatWatchNotice } from '../../src/bot/watch/watch-notice.js';
import type { Watch } from '../../src/state/watch-store.js';
import { fakePaper } from '../support/fake-paperbot.js';

const watch = (scope: Watch['scope'], topic: string): Watch => ({ id: 'w1', scope, targetId: scope === 'user' ? '222' : '333', subscriberId: '222', topic, createdAt: 0 });

describe('formatWatchNotice', () => {
  it('a DM mentions no one; a channel notice mentions only its subscriber, whatever the topic or titles say', () => {
    const papers = [fakePaper('p1', '@everyone look [here](https://evil.example)'), fakePaper('p2', 'Second <@&999> paper')];
    const dm = formatWatchNotice(watch('user', '@here agents **bold**'), papers);
    expect(dm.allowedMentions).toEqual({ parse: [] });
    expect(dm.content).toBeUndefined();
    const channel = formatWatchNotice(watch('channel', '@here agents'), papers);
    expect(channel.allowedMentions).toEqual({ parse: [], users: ['222'] });
    expect(channel.content).toBe('<@222>');
    const embed = (channel.embeds as { title: string; description: string }[])[0]!;
    expect(embed.title).toContain('(2)');
    expect(embed.description).not.toContain('](https://evil.example)');
    expect(embed.description).toContain('(https://papers.example/p1)');
  });

  it('many papers: ten listed, then "…and N more", within the embed limits', () => {
    const papers = Array.from({ length: 40 }, (_, i) => fakePaper(`p${i}`, `Paper ${i} ${'long title '.repeat(20)}`));
    const notice = formatWatchNotice(watch('user', 'x'.repeat(200)), papers);
    const embed = (notice.embeds as { title: string; description: string }[])[0]!;
    expect(embed.description).toContain('…and 30 more.');
    expect(embed.description.length).toBeLessThanOrEqual(4096);
    expect(embed.title.length).toBeLessThanOrEqual(256);
  });
});
