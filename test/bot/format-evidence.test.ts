import { describe, expect, it } from 'vitest';
import { embedLength } from '../../src/bot/format-answer.js';
import { EVIDENCE_TEXTS, formatEvidence } from '../../src/bot/format-evidence.js';
import { DISCORD_LIMITS as L } from '../../src/bot/discord-limits.js';
import type { ClaimCheck } from '../../src/verify/check-claims.js';
import { summarizeClaims } from '../../src/verify/check-claims.js';

const SOURCES = [{ n: 1, id: 'p1', title: 'Paper **One**', url: 'https://x.example/1' }];

function check(claims: ClaimCheck['claims']): ClaimCheck {
  return { claims, spans: claims.map(() => ({ start: 0, end: 0 })), summary: summarizeClaims(claims), verifiedBy: 'offline', usage: null };
}

describe('formatEvidence', () => {
  it('lists only the flagged sentences with their closest abstract sentence, as plain text', () => {
    const [message, ...rest] = formatEvidence(
      check([
        { text: 'Fine claim [1].', citations: [1], supported: true, score: 0.9, evidence: 'Fine.' },
        { text: 'Bad **claim** [evil](https://evil.example) @everyone [1].', citations: [1], supported: false, score: 0.1, evidence: 'It reaches 90.0% on K400.' },
      ]),
      SOURCES,
    );
    expect(rest).toEqual([]);
    expect(message!.allowedMentions).toEqual({ parse: [] });
    const description = message!.embeds[0]!.description!;
    expect(description).not.toContain('Fine claim');
    expect(description).toContain('It reaches 90.0% on K400.');
    expect(description).not.toContain('**claim**');
    expect(description).not.toMatch(/\[evil\]\(https/);
    expect(description).toContain('[1] Paper \\*\\*One\\*\\*');
    expect(message!.embeds[0]!.footer!.text).toBe('⚠ 1 of 2 cited sentences could not be matched to their sources.');
  });

  it('says so when nothing is flagged, the check is off, and stays within the limits when huge', () => {
    expect(formatEvidence(check([{ text: 'A [1].', citations: [1], supported: true, score: 1, evidence: 'A.' }]), SOURCES)[0]!.content).toBe(EVIDENCE_TEXTS.allMatched);
    expect(formatEvidence(undefined, SOURCES)[0]!.content).toBe(EVIDENCE_TEXTS.off);
    const many = Array.from({ length: 80 }, (_, i) => ({ text: `Claim ${i} ${'x'.repeat(2000)} [1].`, citations: [1], supported: false, score: 0, evidence: 'y'.repeat(3000) }));
    const messages = formatEvidence(check(many), SOURCES);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.embeds.length).toBeLessThanOrEqual(L.embedsPerMessage);
      expect(message.embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(L.embedTotal);
      for (const embed of message.embeds) expect(embed.description!.length).toBeLessThanOrEqual(L.embedDescription);
    }
  });
});
