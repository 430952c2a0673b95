import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS as L } from '../../src/bot/discord-limits.js';
import { embedLength } from '../../src/bot/format-answer.js';
import { formatConsensusPages } from '../../src/bot/format-consensus.js';
import type { ConsensusResult, PaperStance } from '../../src/verify/assess-consensus.js';
import { OFFLINE_CONSENSUS_NOTICE } from '../../src/verify/assess-consensus.js';

function result(count: number, size: number, mode: ConsensusResult['mode'] = 'offline'): ConsensusResult {
  const papers: PaperStance[] = Array.from({ length: count }, (_, i) => ({
    n: i + 1,
    id: `p${i}`,
    title: `Paper ${i} ${'t'.repeat(size)}`,
    url: `https://x.example/${'u'.repeat(size)}`,
    stance: mode === 'llm' ? 'contradicts' : 'not-judged',
    evidence: `Evidence ${i} [evil](https://evil.example) ${'e'.repeat(size * 3)}`,
  }));
  return { claim: `Claim **bold** ${'c'.repeat(size)}`, mode, papers, synthesis: `Synthesis [1] ${'s'.repeat(size * 4)}`, usage: null, ...(mode === 'offline' ? { notice: OFFLINE_CONSENSUS_NOTICE } : {}) };
}

describe('formatConsensusPages', () => {
  it('one field per paper, ten per page, each page within the limits whatever the sizes', () => {
    // Size 2,000 already puts every part over its limit (title, field name and value, description);
    // larger texts only cost time (discord.js's escapeMarkdown is slow on long words).
    for (const [count, size] of [[1, 10], [10, 2_000], [12, 2_000], [25, 300]] as const) {
      const pages = formatConsensusPages(result(count, size));
      expect(pages).toHaveLength(Math.ceil(count / 10));
      expect(pages.flatMap((p) => p.embeds[0]!.fields!).length).toBe(count);
      for (const page of pages) {
        expect(page.embeds).toHaveLength(1);
        expect(page.allowedMentions).toEqual({ parse: [] });
        const embed = page.embeds[0]!;
        expect(embedLength(embed)).toBeLessThanOrEqual(L.embedTotal);
        expect(embed.fields!.length).toBeLessThanOrEqual(10);
        for (const field of embed.fields!) {
          expect(field.name.length).toBeLessThanOrEqual(L.fieldName);
          expect(field.value.length).toBeLessThanOrEqual(L.fieldValue);
          expect(field.value).not.toContain('[evil](');
        }
      }
    }
  });

  it('labels offline stances and the notice; the claim is shown as plain text', () => {
    const [page] = formatConsensusPages(result(2, 5));
    const embed = page!.embeds[0]!;
    expect(embed.title).toMatch(/^Do the papers agree\? Claim \\\*\\\*bold\\\*\\\*/);
    expect(embed.description).toContain('No language model configured');
    expect(embed.fields![0]!.value).toContain('not judged (no model)');
    expect(embed.footer!.text).toBe('stances not judged (no model)');
    expect(formatConsensusPages(result(2, 5, 'llm'))[0]!.embeds[0]!.fields![0]!.value).toContain('**contradicts**');
  });
});
