import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

function run(text: string, size: number) {
  const forwarded: string[] = [];
  const guard = guardStreamedText((d) => forwarded.push(d), SYSTEM);
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
});
