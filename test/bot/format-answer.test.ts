import { describe, expect, it } from 'vitest';
import { parseSourcesId } from '../../src/bot/export-files.js';
import type { AnswerResult, AnswerSource } from '../../src/answer/answer-types.js';
import { DISCORD_LIMITS as L } from '../../src/bot/discord-limits.js';
import {
  embedLength,
  feedbackButtons,
  formatAnswer,
  formatNotice,
  formatPaper,
  formatQueuePosition,
  formatSearchResults,
  formatStreamingPreview,
  markdownLink,
  parseFeedbackId,
  type BotMessagePayload,
} from '../../src/bot/format-answer.js';
import { fakePaper } from '../support/fake-paperbot.js';

function source(n: number, title = `Paper number ${n} about something`): AnswerSource {
  return { n, id: `p${n}`, title, url: `https://papers.example/p${n}` };
}

function result(overrides: Partial<AnswerResult> = {}): AnswerResult {
  return { answer: 'Attention is all you need [1].', sources: [source(1)], mode: 'llm', refused: false, usage: null, ...overrides };
}

function longAnswer(sentenceCount: number): string {
  return Array.from({ length: sentenceCount }, (_, i) => `Finding ${i} is supported by the abstract of one paper [${(i % 30) + 1}].`).join(' ');
}

/** Every Discord limit on one message. */
function expectWithinLimits(message: BotMessagePayload): void {
  expect(message.embeds.length).toBeLessThanOrEqual(L.embedsPerMessage);
  expect(message.content?.length ?? 0).toBeLessThanOrEqual(L.content);
  let total = 0;
  for (const embed of message.embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(L.embedTitle);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(L.embedDescription);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(L.footerText);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(L.embedFields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeLessThanOrEqual(L.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(L.fieldValue);
      expect(field.value.length).toBeGreaterThan(0);
    }
    total += embedLength(embed);
  }
  expect(total).toBeLessThanOrEqual(L.embedTotal);
  expect(message.allowedMentions).toEqual({ parse: [] });
}

describe('formatAnswer', () => {
  it('puts the answer with its [n] markers in the description and the sources as linked titles', () => {
    const [message, ...rest] = formatAnswer(result({ sources: [source(1, 'Attention Is All You Need')] }), { title: 'What is attention?' });
    expect(rest).toEqual([]);
    const embed = message!.embeds[0]!;
    expect(embed.title).toBe('What is attention?');
    expect(embed.description).toContain('[1]');
    const sources = embed.fields?.find((field) => field.name === 'Sources');
    expect(sources?.value).toBe('[1] [Attention Is All You Need](https://papers.example/p1)');
  });

  it('splits a very long answer over embeds and messages within every limit, keeping all text and markers', () => {
    const answer = longAnswer(900); // ~ 60k characters
    const sources = Array.from({ length: 30 }, (_, i) => source(i + 1, `A long paper title ${'with many words '.repeat(8)}${i + 1}`));
    const messages = formatAnswer(result({ answer, sources }), { title: 'Q '.repeat(200), answerId: 'abc' });
    expect(messages.length).toBeGreaterThan(5);
    for (const message of messages) expectWithinLimits(message);
    const descriptions = messages.flatMap((m) => m.embeds.map((e) => e.description ?? '')).join(' ');
    expect(descriptions.match(/\[\d+\]/g)).toEqual(answer.match(/\[\d+\]/g));
    const sourceLines = messages.flatMap((m) => m.embeds.flatMap((e) => (e.fields ?? []).flatMap((f) => f.value.split('\n'))));
    expect(sourceLines).toHaveLength(30);
    // feedback buttons only once, on the last message
    expect(messages.map((m) => m.components.length)).toEqual([...Array(messages.length - 1).fill(0), 1]);
  });

  it('never has a description chunk start or end in the middle of a citation marker', () => {
    const messages = formatAnswer(result({ answer: longAnswer(400) }), { title: 'q' });
    for (const embed of messages.flatMap((m) => m.embeds)) {
      const text = embed.description ?? '';
      expect(text).not.toMatch(/^\d*\]/);
      expect(text).not.toMatch(/\[\d*$/);
    }
  });

  it('labels offline (extractive) answers on the first line and in the footer', () => {
    const [message] = formatAnswer(result({ mode: 'extractive', notice: 'No language model configured' }), { title: 'q' });
    const embed = message!.embeds[0]!;
    expect(embed.description!.split('\n')[0]).toMatch(/Offline answer.*No language model configured/);
    expect(embed.footer?.text).toMatch(/Offline answer/);
  });

  it('does not label model answers as offline', () => {
    const [message] = formatAnswer(result(), { title: 'q' });
    expect(JSON.stringify(message)).not.toMatch(/Offline/);
  });

  it('shows the nearest papers when refused', () => {
    const nearest = [source(4, 'Closest Paper'), source(5, 'Second Closest')];
    const [message] = formatAnswer(result({ refused: true, answer: 'The corpus has nothing on that.', sources: [], nearest }), { title: 'q' });
    const field = message!.embeds.flatMap((e) => e.fields ?? []).find((f) => /Nearest/.test(f.name));
    expect(field?.value).toContain('[Closest Paper](https://papers.example/p4)');
    expect(field?.value).toContain('Second Closest');
  });

  it('escapes brackets in titles and parentheses in urls so links stay intact', () => {
    expect(markdownLink('A [B] C', 'https://x.example/a_(b)')).toBe('[A \\[B\\] C](https://x.example/a_%28b%29)');
    expect(markdownLink('Plain', 'not a url')).toBe('Plain');
  });

  it('puts the note before the answer', () => {
    const [message] = formatAnswer(result(), { title: 'q', note: 'Answered inline.' });
    expect(message!.embeds[0]!.description!.startsWith('Answered inline.')).toBe(true);
  });
});

describe('feedback ids', () => {
  it('round-trips through the buttons and stays within 100 characters', () => {
    const row = feedbackButtons('1234-abcd');
    const ids = row.components.map((button) => ('custom_id' in button ? button.custom_id : ''));
    expect(ids).toEqual(['feedback:up:1234-abcd', 'feedback:down:1234-abcd']);
    expect(parseFeedbackId(ids[1]!)).toEqual({ vote: 'down', answerId: '1234-abcd' });
    expect(parseFeedbackId('other:thing')).toBeUndefined();
  });
});

describe('allowed mentions on every payload builder', () => {
  const hostile = '@everyone @here <@123456789012345678> <@&123456789012345678> hello';
  const builders: Array<[string, () => BotMessagePayload[]]> = [
    ['formatAnswer', () => formatAnswer(result({ answer: hostile }), { title: hostile, answerId: 'x' })],
    ['formatAnswer refused', () => formatAnswer(result({ refused: true, answer: hostile, nearest: [source(1)] }), { title: hostile })],
    ['formatAnswer long', () => formatAnswer(result({ answer: `${hostile} `.repeat(400) }), { title: hostile })],
    ['formatStreamingPreview', () => [formatStreamingPreview(hostile, hostile)]],
    ['formatQueuePosition', () => [formatQueuePosition(3)]],
    ['formatNotice', () => [formatNotice(hostile)]],
    ['formatSearchResults', () => formatSearchResults({ query: hostile, relevant: true, hits: [{ paper: fakePaper('a', hostile), score: 0.9, relevant: true }] })],
    ['formatSearchResults empty', () => formatSearchResults({ query: hostile, relevant: false, hits: [] })],
    ['formatPaper', () => [formatPaper(fakePaper('a', hostile, hostile))]],
  ];
  for (const [name, build] of builders) {
    it(`${name}: allowedMentions.parse is empty and limits hold`, () => {
      const messages = build();
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) expectWithinLimits(message);
    });
  }

  it('the allowedMentions every payload shares cannot be changed', () => {
    const { allowedMentions } = formatNotice('a');
    expect(Object.isFrozen(allowedMentions)).toBe(true);
    expect(Object.isFrozen(allowedMentions.parse)).toBe(true);
    expect(() => (allowedMentions.parse as unknown as string[]).push('everyone')).toThrow(TypeError);
  });
});

describe('text the bot did not write', () => {
  const EVIL = 'http://evil.example/steal';
  const noDisguisedLinks = (payloads: BotMessagePayload[], allowed: string[] = []) => {
    const text = JSON.stringify(payloads);
    for (const match of text.matchAll(/\]\((<?[^)\s]*)/g)) expect(allowed.map((u) => u.replace(/\(/g, '%28'))).toContain(match[1]);
  };

  it('model output: a masked link to a cited source stays, any other shows its real address', () => {
    const answer = `See [arxiv.org/abs/2303.16727](${EVIL}) and [the paper](https://papers.example/p1) [1].`;
    const [message] = formatAnswer(result({ answer }), { title: 'q' });
    const description = message!.embeds[0]!.description!;
    expect(description).toContain(`arxiv.org/abs/2303.16727 (<${EVIL}>)`);
    expect(description).toContain('[the paper](https://papers.example/p1)');
    noDisguisedLinks([message!], ['https://papers.example/p1']);
  });

  it('disguises of masked links are undone too: angle brackets, titles, nested brackets, spaces', () => {
    for (const answer of [`[a](<${EVIL}>)`, `[a](${EVIL} "title")`, `[[1]](${EVIL})`, `[a] (${EVIL})`, `[a]( ${EVIL} )`]) {
      const payloads = formatAnswer(result({ answer }), { title: 'q' });
      noDisguisedLinks(payloads, ['https://papers.example/p1']);
      expect(JSON.stringify(payloads)).toContain(EVIL);
    }
  });

  it("a refusal echoing the user's question shows it as plain text: no masked link, no markdown", () => {
    const question = `[arxiv.org/abs/1](${EVIL}) **urgent** # heading`;
    const refusal = result({ answer: `The corpus has nothing on "${question}".`, refused: true, sources: [], mode: 'extractive' });
    const payloads = formatAnswer(refusal, { title: question });
    noDisguisedLinks(payloads);
    const embed = payloads[0]!.embeds[0]!;
    expect(embed.description).toContain(`(<${EVIL}>)`);
    expect(embed.description).toContain('\\*\\*urgent\\*\\*');
    expect(embed.title).not.toContain('](');
    expect(embed.title).toContain('\\*\\*urgent');
  });

  it('/paper: a masked link in an abstract is shown undisguised', () => {
    const paper = fakePaper('p9', 'A [hostile](http://evil.example) title', `We study X. Code at [github.com/x/y](${EVIL}).`);
    const message = formatPaper(paper);
    noDisguisedLinks([message]);
    expect(message.embeds[0]!.description).toContain(`github.com/x/y (<${EVIL}>)`);
  });

  it('the streaming preview shows no citation markers (unchecked yet) and no disguised links', () => {
    const preview = formatStreamingPreview('q', `Dual masking [1] helps [99]. See [this](${EVIL})`);
    const description = preview.embeds[0]!.description!;
    expect(description).not.toMatch(/\[\d+\]/);
    expect(description).toContain(`this (<${EVIL}>)`);
    noDisguisedLinks([preview]);
  });

  it('no lone surrogate survives, wherever text is cut or came in broken', () => {
    const broken = `nothing on "${'🧪'.repeat(10)}\ud83e".`;
    const payloads = [
      ...formatAnswer(result({ answer: broken, refused: true, sources: [] }), { title: '🧪'.repeat(200) }),
      formatNotice(`${'🧪'.repeat(1_500)}`),
      formatStreamingPreview('🧪'.repeat(300), `${'🧪'.repeat(3_000)}\udc00`),
    ];
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const payload of payloads) {
      for (const embed of payload.embeds) for (const text of [embed.title ?? '', embed.description ?? '', embed.footer?.text ?? '']) expect(text).not.toMatch(lone);
      expect(payload.content ?? '').not.toMatch(lone);
      expectWithinLimits(payload);
    }
  });
});

describe('streaming preview', () => {
  it('stays within the description limit for long partial text', () => {
    const preview = formatStreamingPreview('q', 'word '.repeat(3000));
    expectWithinLimits(preview);
    expect(preview.embeds[0]!.footer?.text).toBe('Writing…');
  });

  it('tells the queue position', () => {
    expect(formatQueuePosition(3).content).toMatch(/number 3 in line/);
  });
});

describe('the Sources and Catch me up buttons', () => {
  it('sit next to 👍/👎: Sources when the answer has sources (not on refusals), Catch me up always', () => {
    const ids = (messages: BotMessagePayload[]) => messages.at(-1)!.components.flatMap((row) => row.components.map((b) => ('custom_id' in b ? b.custom_id : '')));
    expect(ids(formatAnswer(result(), { title: 'q', answerId: 'a1' }))).toEqual(['feedback:up:a1', 'feedback:down:a1', 'sources:a1', 'catchup:a1']);
    expect(ids(formatAnswer(result({ refused: true, sources: [] }), { title: 'q', answerId: 'a1' }))).toEqual(['feedback:up:a1', 'feedback:down:a1', 'catchup:a1']);
    expect(parseSourcesId('sources:a1')).toBe('a1');
    expect(parseSourcesId('feedback:up:a1')).toBeUndefined();
  });
});
