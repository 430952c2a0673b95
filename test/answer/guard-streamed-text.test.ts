import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCitations } from '../../src/answer/check-citations.js';
import { leaksText } from '../../src/answer/guard-secrets.js';
import { guardStreamedText } from '../../src/answer/guard-streamed-text.js';
import { words } from '../../src/text/tokenize.js';
import { PROMPTS_DIR } from './answer-fakes.js';

const SYSTEM = readFileSync(path.join(PROMPTS_DIR, 'system.md'), 'utf8');
const PREAMBLE =
  'Prompt-based continual learning keeps a frozen backbone and learns a small pool of prompts that are selected per input, ' +
  'so no rehearsal buffer is needed and the memory cost stays low across tasks [1]. ';
const ANSWER =
  `${PREAMBLE}DualPrompt splits the prompts into general and expert parts attached at different layers, which improves accuracy ` +
  'on split ImageNet-R without storing any past examples [2].';

/** Split text into deltas of `size` characters (cutting inside words), or word by word when `size` is 0. */
function deltasOf(text: string, size: number): string[] {
  if (size === 0) return text.match(/\S+\s*|\s+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function run(text: string, size: number, sourceCount?: number) {
  const forwarded: string[] = [];
  const guard = guardStreamedText((d) => forwarded.push(d), SYSTEM, sourceCount === undefined ? {} : { sourceCount });
  const sentAfter: number[] = [];
  for (const delta of deltasOf(text, size)) {
    guard.onToken(delta);
    sentAfter.push(forwarded.join('').length);
  }
  return { guard, forwarded, sentAfter };
}

describe('guardStreamedText', () => {
  it.each([0, 1, 7, 40])('streams a normal answer in order, holding back the tail until the end (delta size %i)', (size) => {
    const { guard, forwarded, sentAfter } = run(ANSWER, size);
    const before = forwarded.join('');
    expect(forwarded.length).toBeGreaterThan(1);
    expect(ANSWER.startsWith(before)).toBe(true);
    const held = ANSWER.slice(before.length);
    expect(words(held).length).toBeGreaterThanOrEqual(15);
    expect(held.length).toBeGreaterThanOrEqual(120);
    expect(sentAfter.every((n, i) => i === 0 || n >= sentAfter[i - 1]!)).toBe(true);
    expect(guard.leaked).toBe(false);
    guard.finish();
    expect(forwarded.join('')).toBe(ANSWER);
    guard.finish();
    expect(forwarded.join('')).toBe(ANSWER);
  });

  it.each([0, 1, 7, 40])('stops before any of an echoed system prompt is shown (delta size %i)', (size) => {
    const echo = `${PREAMBLE}Sure, here are my instructions: ${SYSTEM}`;
    const { guard, forwarded } = run(echo, size);
    const shown = forwarded.join('');
    expect(guard.leaked).toBe(true);
    expect(leaksText(shown, SYSTEM)).toBe(false);
    expect(PREAMBLE.startsWith(shown)).toBe(true);
    guard.finish();
    expect(forwarded.join('')).toBe(shown);
  });

  it('forwards nothing more after a leak, even normal text', () => {
    const { guard, forwarded } = run(SYSTEM, 0);
    const shown = forwarded.join('');
    guard.onToken(` ${ANSWER}`);
    guard.finish();
    expect(forwarded.join('')).toBe(shown);
    expect(leaksText(shown, SYSTEM)).toBe(false);
  });

  it.each([0, 1, 7, 40])('stops a disguised echo (hyphen-joined words) before any of it is shown (delta size %i)', (size) => {
    const disguised = SYSTEM.split(/\s+/).join('-');
    const { guard, forwarded } = run(`${PREAMBLE}Here: ${disguised}`, size);
    expect(guard.leaked).toBe(true);
    expect(leaksText(forwarded.join(''), SYSTEM)).toBe(false);
  });
});

describe('guardStreamedText with the number of sources given', () => {
  const WITH_UNKNOWN =
    `${PREAMBLE}A third claim cites a source that was never given [99], and a group mixes both [2, 7]. ` +
    'Ranges stay when valid [1-2] and go when not [2-5]; years such as [2023] are text. ' +
    'The conclusion repeats the invented one [12].';

  it.each([0, 1, 3, 7, 40])('never forwards a citation to a source that was not given (delta size %i)', (size) => {
    const shownAfter: string[] = [];
    const forwarded: string[] = [];
    const guard = guardStreamedText((d) => forwarded.push(d), SYSTEM, { sourceCount: 2 });
    for (const delta of deltasOf(WITH_UNKNOWN, size)) {
      guard.onToken(delta);
      shownAfter.push(forwarded.join(''));
    }
    guard.finish();
    const shown = forwarded.join('');
    for (const partial of [...shownAfter, shown]) {
      expect(partial).not.toMatch(/\[(?:99|12|7|2-5|2, 7)\]|\[9|\[1$/);
    }
    expect(shown).toBe(checkCitations(WITH_UNKNOWN, 2).text);
    expect(shown).toContain('[1-2]');
    expect(shown).toContain('[2023]');
    expect(shown).toContain('both [2].');
  });

  it('holds an unfinished citation group until it closes', () => {
    const forwarded: string[] = [];
    // No secret text and no hold-back: only the open group holds text back.
    const guard = guardStreamedText((d) => forwarded.push(d), '', { sourceCount: 3, holdWords: 0, holdChars: 0, minWords: 1 });
    guard.onToken('first claim [');
    guard.onToken('1');
    guard.onToken(', ');
    const beforeClose = forwarded.join('');
    guard.onToken('9] and more text ');
    guard.onToken('here.');
    guard.finish();
    expect(beforeClose).toBe('first claim');
    expect(forwarded.join('')).toBe('first claim [1] and more text here.');
  });
});
