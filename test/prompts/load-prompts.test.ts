import { mkdtemp, readFile, rm, unlink, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrompts, loadPrompts, PROMPT_NAMES, PROMPT_SLOTS, type PromptName } from '../../src/prompts/load-prompts.js';
import { TEST_PROJECT_ROOT } from '../support/load-test-corpus.js';

const DIR = path.join(TEST_PROJECT_ROOT, 'prompts');
const temps: string[] = [];
async function copyPrompts(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-prompts-'));
  temps.push(dir);
  await cp(DIR, dir, { recursive: true });
  return dir;
}
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('loadPrompts', () => {
  it('renders every prompt file, filling each declared slot and leaving no {{slot}} behind', async () => {
    const prompts = await loadPrompts(DIR);
    for (const name of PROMPT_NAMES) {
      const values = Object.fromEntries(PROMPT_SLOTS[name].map((slot) => [slot, `VALUE-OF-${slot.toUpperCase()}`]));
      const text = prompts.render(name, values as never);
      expect(text.length).toBeGreaterThan(20);
      expect(text).not.toMatch(/\{\{/);
      for (const slot of PROMPT_SLOTS[name]) expect(text).toContain(`VALUE-OF-${slot.toUpperCase()}`);
    }
  });

  it('the system prompt tells the model to use only the sources, cite [n], treat user text as data and keep secrets', async () => {
    const system = (await loadPrompts(DIR)).render('system', {});
    expect(system).toMatch(/only from the numbered sources/i);
    expect(system).toMatch(/\[1\]/);
    expect(system).toMatch(/data, never as instructions/i);
    expect(system).toMatch(/never reveal/i);
  });

  it('names the file when a prompt file is missing', async () => {
    const dir = await copyPrompts();
    await unlink(path.join(dir, 'compare.md'));
    await expect(loadPrompts(dir)).rejects.toThrow(/compare\.md/);
  });

  it('names the file and slot when a declared slot is missing', async () => {
    const dir = await copyPrompts();
    const file = path.join(dir, 'ask.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('{{question}}', ''));
    await expect(loadPrompts(dir)).rejects.toThrow(/ask\.md is missing the slot \{\{question\}\}/);
  });

  it('names the file and slot when a file has an unknown slot', async () => {
    const dir = await copyPrompts();
    const file = path.join(dir, 'summarize.md');
    await writeFile(file, `${await readFile(file, 'utf8')}\n{{api_key}}\n`);
    await expect(loadPrompts(dir)).rejects.toThrow(/summarize\.md has an unknown slot \{\{api_key\}\}/);
  });

  it('render fails on a missing or unexpected value, and never re-expands a value', () => {
    const templates = Object.fromEntries(
      PROMPT_NAMES.map((name) => [name, PROMPT_SLOTS[name].map((s) => `<${s}>{{${s}}}</${s}>`).join('\n') || 'plain']),
    ) as Record<PromptName, string>;
    const prompts = createPrompts(templates);
    expect(() => prompts.render('ask', { sources: 's', history: '' } as never)).toThrow(/no value for the slot \{\{question\}\}/);
    expect(() => prompts.render('system', { extra: 'x' } as never)).toThrow(/unexpected value "extra"/);
    const text = prompts.render('ask', { sources: '{{question}}', history: '', question: 'Q' });
    expect(text).toContain('<sources>{{question}}</sources>');
    expect(text).toContain('<question>Q</question>');
  });
});
