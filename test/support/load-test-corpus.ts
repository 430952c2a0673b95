import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Paper } from '../../src/corpus/paper.js';

/** Project root, two folders up from test/support. */
export const TEST_PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUNDLED_CORPUS_FILE = path.join(TEST_PROJECT_ROOT, 'data', 'corpus', 'hf-trending-papers.txt');
export const DEV_QUESTIONS_FILE = path.join(TEST_PROJECT_ROOT, 'data', 'eval', 'dev-questions.jsonl');
export const PARAPHRASE_QUESTIONS_FILE = path.join(TEST_PROJECT_ROOT, 'data', 'eval', 'paraphrase-questions.jsonl');

function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A tiny loader of the bundled corpus for tests and scripts (the real parser lives in src/corpus):
 * skip the 2 header lines, strip the "Subscribe" glued to the first title, then title/abstract pairs.
 */
export function loadTestCorpus(file: string = BUNDLED_CORPUS_FILE): Paper[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const papers: Paper[] = [];
  const seen = new Map<string, number>();
  for (let i = 2; i + 1 < lines.length; i += 2) {
    let title = (lines[i] ?? '').trim();
    const abstract = (lines[i + 1] ?? '').trim();
    if (i === 2) title = title.replace(/^Subscribe/, '');
    if (!title || !abstract) continue;
    let id = slugify(title);
    const count = seen.get(id) ?? 0;
    seen.set(id, count + 1);
    if (count > 0) id = `${id}-${count + 1}`;
    papers.push({
      id,
      title,
      abstract,
      url: `https://huggingface.co/papers?q=${encodeURIComponent(title)}`,
      links: abstract.match(/https?:\/\/\S+/g)?.map((u) => u.replace(/[.,;)]+$/, '')) ?? [],
      contentHash: createHash('sha256').update(`${title}\n${abstract}`).digest('hex'),
      source: { file: path.basename(file), line: i + 1 },
    });
  }
  return papers;
}
