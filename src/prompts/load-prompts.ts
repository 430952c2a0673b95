import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The prompt files (`<dir>/<name>.md`) and the named `{{slot}}`s each one must contain — exactly these,
 * no more, no fewer. Checked at start-up by `loadPrompts`.
 */
export const PROMPT_SLOTS = {
  system: [],
  ask: ['sources', 'history', 'question'],
  compare: ['sources', 'history', 'question'],
  summarize: ['sources', 'history', 'topic'],
  'condense-question': ['history', 'question'],
  'verify-claims': ['sources', 'claims'],
  consensus: ['claim', 'sources'],
  'retrieval-rewrite': ['question'],
  'retrieval-rerank': ['question', 'count', 'papers'],
  catchup: ['exchanges'],
} as const satisfies Record<string, readonly string[]>;

export type PromptName = keyof typeof PROMPT_SLOTS;
export type PromptSlot<N extends PromptName> = (typeof PROMPT_SLOTS)[N][number];
export type PromptValues<N extends PromptName> = Record<PromptSlot<N>, string>;

export interface Prompts {
  /** The raw template text of one prompt. */
  template(name: PromptName): string;
  /** Fill every `{{slot}}` of a prompt (one pass: values are never re-expanded). A missing or unknown value throws. */
  render<N extends PromptName>(name: N, values: PromptValues<N>): string;
}

const SLOT = /\{\{\s*([A-Za-z0-9_-]*)\s*\}\}/g;

export const PROMPT_NAMES = Object.keys(PROMPT_SLOTS) as PromptName[];

/** Read and check every prompt file of `dir`. Throws an Error naming the file and slot on any mismatch. */
export async function loadPrompts(dir: string): Promise<Prompts> {
  const templates = {} as Record<PromptName, string>;
  for (const name of PROMPT_NAMES) {
    const file = path.join(dir, `${name}.md`);
    try {
      templates[name] = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`Prompt file ${file} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); expected one file per prompt: ${PROMPT_NAMES.map((n) => `${n}.md`).join(', ')}.`, { cause: error });
    }
  }
  return createPrompts(templates, dir);
}

/** Build `Prompts` from in-memory templates (same checks as `loadPrompts`). */
export function createPrompts(templates: Readonly<Record<PromptName, string>>, dir = '(in memory)'): Prompts {
  for (const name of PROMPT_NAMES) {
    const text = templates[name];
    const file = path.join(dir, `${name}.md`);
    if (typeof text !== 'string') throw new Error(`Prompt file ${file} is missing.`);
    const expected: readonly string[] = PROMPT_SLOTS[name];
    const found = new Set([...text.matchAll(SLOT)].map((m) => m[1] ?? ''));
    for (const slot of found) {
      if (!expected.includes(slot)) {
        throw new Error(`Prompt file ${file} has an unknown slot {{${slot}}}; allowed slots: ${expected.length ? expected.map((s) => `{{${s}}}`).join(', ') : 'none'}.`);
      }
    }
    for (const slot of expected) {
      if (!found.has(slot)) throw new Error(`Prompt file ${file} is missing the slot {{${slot}}}.`);
    }
  }
  const frozen = { ...templates };
  return {
    template: (name) => frozen[name],
    render(name, values) {
      const expected: readonly string[] = PROMPT_SLOTS[name];
      const given = values as Record<string, unknown>;
      for (const slot of expected) {
        if (typeof given[slot] !== 'string') throw new Error(`Prompt "${name}": no value for the slot {{${slot}}}.`);
      }
      for (const key of Object.keys(given)) {
        if (!expected.includes(key)) throw new Error(`Prompt "${name}": unexpected value "${key}" (not a slot of ${name}.md).`);
      }
      return frozen[name].replace(SLOT, (_match, slot: string) => given[slot] as string).trim();
    },
  };
}
