import { describe, expect, it } from 'vitest';
import { embedLength, formatAnswer } from '../../src/bot/format-answer.js';
import { DISCORD_LIMITS as L } from '../../src/bot/discord-limits.js';
import { checkClaims } from '../../src/verify/check-claims.js';
import { createOfflineClaimScorer } from '../../src/verify/score-claim.js';

const paper = { title: 'VideoMAE V2', abstract: 'We present a dual masking strategy for efficient pre-training. The video ViT achieves 90.0% on K400.' };
const sources = [{ n: 1, id: 'p1', title: 'VideoMAE V2', url: 'https://x.example/1' }];

describe('formatAnswer with a claim check (Discord)', () => {
  it('puts ⚠ after each unsupported sentence, the count in the footer, and a "Show evidence" button', async () => {
    const answer = 'It uses a dual masking strategy for efficient pre-training [1]. It achieves 86.6% on K400 [1].';
    const claimCheck = await checkClaims(answer, [{ n: 1, paper }], createOfflineClaimScorer());
    const [message] = formatAnswer({ answer, sources, mode: 'llm', refused: false, usage: null, claimCheck }, { title: 'Q', answerId: 'a1' });
    expect(message!.embeds[0]!.description).toBe('It uses a dual masking strategy for efficient pre-training [1]. It achieves 86.6% on K400 [1]. ⚠');
    expect(message!.embeds.at(-1)!.footer!.text).toBe('⚠ 1 of 2 cited sentences could not be matched to their sources.');
    const ids = message!.components.flatMap((row) => row.components).map((b) => ('custom_id' in b ? b.custom_id : ''));
    expect(ids).toEqual(['feedback:up:a1', 'feedback:down:a1', 'evidence:a1']);
  });

  it('no button when every sentence matched; a huge answer with many flags stays within the limits', async () => {
    const ok = 'It uses a dual masking strategy for efficient pre-training [1].';
    const okCheck = await checkClaims(ok, [{ n: 1, paper }], createOfflineClaimScorer());
    const [okMessage] = formatAnswer({ answer: ok, sources, mode: 'llm', refused: false, usage: null, claimCheck: okCheck }, { title: 'Q', answerId: 'a2' });
    expect(okMessage!.components[0]!.components).toHaveLength(2);
    expect(okMessage!.embeds.at(-1)!.footer!.text).toBe('The cited sentence matched its sources.');

    const huge = Array.from({ length: 400 }, (_, i) => `Claim number ${i} reaches ${i}.5% on Zorblax [1].`).join(' ');
    const claimCheck = await checkClaims(huge, [{ n: 1, paper }], createOfflineClaimScorer());
    const messages = formatAnswer({ answer: huge, sources, mode: 'llm', refused: false, usage: null, claimCheck }, { title: 'Q', answerId: 'a3' });
    expect(messages.map((m) => m.embeds.map((e) => e.description ?? '').join('')).join('').split('⚠').length - 1).toBe(400);
    for (const message of messages) {
      expect(message.embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(L.embedTotal);
      for (const embed of message.embeds) expect((embed.description ?? '').length).toBeLessThanOrEqual(L.embedDescription);
    }
    expect(messages.at(-1)!.embeds.at(-1)!.footer!.text).toBe('⚠ 400 of 400 cited sentences could not be matched to their sources.');
  });
});
