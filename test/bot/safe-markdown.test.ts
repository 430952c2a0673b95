import { escapeMarkdown } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { asPlainText, neutralizeLinks } from '../../src/bot/safe-markdown.js';

const OPTIONS = { heading: true, bulletedList: true, numberedList: true };
/** What Discord shows for escaped text: a backslash before a punctuation character is dropped. */
const rendered = (text: string) => text.replace(/\\([^a-zA-Z0-9\s])/g, '$1');
const backslashes = (text: string) => (text.match(/\\/g) ?? []).length;

describe('asPlainText', () => {
  it('escapes short text exactly as discord.js escapeMarkdown does', () => {
    for (const text of ['**bold** and __under__ and ~~gone~~ and ||spoiler||', '# Heading\n- item\n1. first', 'a `code` span and ```block```', 'snake_case_name *and* a\\backslash']) {
      expect(asPlainText(text)).toBe(escapeMarkdown(text, OPTIONS));
    }
  });

  it('a long line is escaped in pieces: shown as typed, with at least every escape discord.js would make', () => {
    const words = ['**bold**', 'snake_case', '~~struck~~', '||hidden||', '`tick`', 'plain', 'words', '__u__', 'x*y'];
    const line = Array.from({ length: 400 }, (_, i) => words[i % words.length]).join(' ');
    expect(line.length).toBeGreaterThan(3000);
    const escaped = asPlainText(line);
    expect(rendered(escaped)).toBe(line);
    expect(backslashes(escaped)).toBeGreaterThanOrEqual(backslashes(escapeMarkdown(line, OPTIONS)));
    expect(escaped).not.toMatch(/(?<!\\)\*\*|(?<!\\)__|(?<!\\)~~|(?<!\\)\|\|/);
  });

  it('a line of sanitizeText\'s longest (4,000 characters) is shown as typed', () => {
    expect(asPlainText('a'.repeat(50_000))).toBe('a'.repeat(4000));
    expect(rendered(asPlainText('x_'.repeat(10_000)))).toBe('x_'.repeat(2000));
  });

  it('undisguises masked links before escaping', () => {
    expect(rendered(asPlainText('see [arxiv.org/abs/1](http://evil.example/x)'))).toBe('see arxiv.org/abs/1 (<http://evil.example/x>)');
    expect(neutralizeLinks('[ok](https://arxiv.org/abs/1)', new Set(['https://arxiv.org/abs/1']))).toBe('[ok](https://arxiv.org/abs/1)');
  });
});
