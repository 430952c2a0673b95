import { buildPaper } from '../../../src/corpus/paper-identity.js';
import type { Paper } from '../../../src/corpus/paper.js';

const WORDS = (
  'transformer diffusion agent reasoning retrieval alignment reward policy vision language speech graph ' +
  'continual distillation pruning quantization benchmark dataset scaling sparse expert memory robot planning ' +
  'contrastive generative latent token attention decoder encoder prompt instruction feedback safety efficient'
).split(' ');

/** Deterministic synthetic papers (`tag` changes every title, hence every id). */
export function makeSyntheticPapers(count: number, options: { tag?: string; file?: string } = {}): Paper[] {
  const tag = options.tag ?? '';
  const papers: Paper[] = [];
  for (let i = 0; i < count; i++) {
    const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length]!;
    const title = `Synthetic ${tag}study ${i}: ${w(1)} ${w(2)} for ${w(3)}`;
    const abstract = `We study ${w(1)} and ${w(4)} in paper number ${i}. Our ${w(2)} method improves ${w(5)} on a ${w(6)} benchmark. Results show gains over ${w(7)} baselines.`;
    papers.push(buildPaper({ title, abstract }, { file: options.file ?? 'synthetic.jsonl', line: i + 1 }));
  }
  return papers;
}
