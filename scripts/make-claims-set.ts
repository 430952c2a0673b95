/**
 * Builds the labelled claim set `data/eval/claims-tuning.jsonl` + `claims-heldout.jsonl` from the
 * hand-written paraphrases in `data/eval/claims-paraphrases.jsonl` (each a paraphrase of one statement
 * of the cited abstract, optionally with its method name and a hand-written negation).
 *
 * Every paraphrase gives one supported claim and one corrupted claim. The corruption kind is the least
 * used so far among those that apply: `number` (a number in the sentence changed), `method-swap` (the
 * method name replaced by another paper's), `negation` (the hand-written negation), `citation-swap`
 * (the same sentence cited to a topically close other paper). Papers alternate between the tuning and
 * the held-out half in order of first appearance, so no paper has claims in both halves.
 *
 *   node --import tsx scripts/make-claims-set.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { buildIdf } from '../src/answer/answer-extractively.js';
import { PROJECT_ROOT } from '../src/config.js';
import type { Paper } from '../src/corpus/paper.js';
import { parseCorpusFile } from '../src/corpus/parse-corpus-file.js';
import { tokenize } from '../src/text/tokenize.js';
import type { ClaimKind, CorruptionKind, LabelledClaim } from '../src/verify/claim-set.js';

const EVAL_DIR = path.join(PROJECT_ROOT, 'data', 'eval');
const CORPUS_FILE = path.join(PROJECT_ROOT, 'data', 'corpus', 'hf-trending-papers.txt');
/** Citation swaps go to one of the papers ranked this far down by similarity (the closest ones may share generic claims). */
const SWAP_RANKS = { from: 2, to: 6 };
const NUMBER_FACTORS = [0.8, 0.9, 1.15, 1.3];

const paraphraseSchema = z.object({
  id: z.string(),
  paperId: z.string(),
  text: z.string(),
  method: z.string().optional(),
  negation: z.string().optional(),
});
type Paraphrase = z.infer<typeof paraphraseSchema>;

/** FNV-1a hash of a string: the deterministic "random" choice of this generator. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const NUMBER = /(?<![\p{L}\p{N}.\-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\p{L}\p{N}\-]|\.\d)(\s*(?:%|x\b|times\b|points\b))?/gu;

/** The sentence with one measured number changed (percentages and decimals first), or undefined. */
export function changeNumber(text: string, seed: number): string | undefined {
  const found = [...text.matchAll(NUMBER)]
    // "Llama 3", "Qwen 2.5": a version in a name, not a measurement
    .filter((m) => m[2] || !/\p{Lu}[\p{L}\p{N}-]*\s$/u.test(text.slice(0, m.index)))
    .map((m) => ({
    index: m.index,
    value: m[1]!,
    priority: (m[2] ? 2 : 0) + (m[1]!.includes('.') ? 1 : 0) + (m[1]!.length > 1 ? 1 : 0),
  }));
  if (found.length === 0) return undefined;
  const top = Math.max(...found.map((f) => f.priority));
  const best = found.filter((f) => f.priority === top);
  const pick = best[seed % best.length]!;
  const decimals = pick.value.includes('.') ? pick.value.split('.')[1]!.length : 0;
  const value = Number(pick.value.replaceAll(',', ''));
  let changed = value * NUMBER_FACTORS[seed % NUMBER_FACTORS.length]!;
  if (decimals === 0) changed = Math.round(changed) === value ? value + 2 : Math.round(changed);
  let formatted = changed.toFixed(decimals);
  if (formatted === pick.value || Number(formatted) === value) formatted = (value + 1).toFixed(decimals);
  if (pick.value.includes(',')) formatted = Number(formatted).toLocaleString('en-US');
  return text.slice(0, pick.index) + formatted + text.slice(pick.index + pick.value.length);
}

function tfidfVector(paper: Paper, idf: (term: string) => number): Map<string, number> {
  const v = new Map<string, number>();
  for (const t of tokenize(`${paper.title} ${paper.abstract}`)) v.set(t, (v.get(t) ?? 0) + idf(t));
  const norm = Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
  for (const [t, x] of v) v.set(t, x / norm);
  return v;
}

/** For each paper, the other papers by tf-idf cosine, most similar first. */
function similarPapers(papers: readonly Paper[]): Map<string, Paper[]> {
  const idf = buildIdf(papers);
  const vectors = new Map(papers.map((p) => [p.id, tfidfVector(p, idf)]));
  const dot = (a: Map<string, number>, b: Map<string, number>) => [...a].reduce((s, [t, x]) => s + x * (b.get(t) ?? 0), 0);
  return new Map(
    papers.map((p) => {
      const v = vectors.get(p.id)!;
      const others = papers.filter((o) => o.id !== p.id).map((o) => ({ o, sim: dot(v, vectors.get(o.id)!) }));
      return [p.id, others.sort((a, b) => b.sim - a.sim).map((x) => x.o)];
    }),
  );
}

interface Corrupted {
  kind: CorruptionKind;
  sentence: string;
  paperId: string;
}

function corruptions(p: Paraphrase, methodsOfOthers: readonly string[], similar: readonly Paper[]): Corrupted[] {
  const seed = hash(p.id);
  const out: Corrupted[] = [];
  const changed = changeNumber(p.text, seed);
  if (changed) out.push({ kind: 'number', sentence: changed, paperId: p.paperId });
  if (p.method && methodsOfOthers.length) {
    const other = methodsOfOthers[seed % methodsOfOthers.length]!;
    out.push({ kind: 'method-swap', sentence: p.text.replaceAll(p.method, other), paperId: p.paperId });
  }
  if (p.negation) out.push({ kind: 'negation', sentence: p.negation, paperId: p.paperId });
  const swapTo = similar[SWAP_RANKS.from + (seed % (SWAP_RANKS.to - SWAP_RANKS.from + 1))]!;
  out.push({ kind: 'citation-swap', sentence: p.text, paperId: swapTo.id });
  return out;
}

async function main(): Promise<void> {
  const { papers } = await parseCorpusFile(CORPUS_FILE);
  const byId = new Map(papers.map((p) => [p.id, p]));
  const paraphrases = readFileSync(path.join(EVAL_DIR, 'claims-paraphrases.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => paraphraseSchema.parse(JSON.parse(line)));
  for (const p of paraphrases) if (!byId.has(p.paperId)) throw new Error(`${p.id}: unknown paper ${p.paperId}`);
  const similar = similarPapers(papers);
  const half = new Map<string, 'tuning' | 'heldout'>();
  for (const p of paraphrases) if (!half.has(p.paperId)) half.set(p.paperId, half.size % 2 === 0 ? 'tuning' : 'heldout');

  const used = new Map<ClaimKind, number>();
  const out = { tuning: [] as (LabelledClaim & { title: string })[], heldout: [] as (LabelledClaim & { title: string })[] };
  for (const p of paraphrases) {
    const methodsOfOthers = [...new Set(paraphrases.filter((o) => o.paperId !== p.paperId && o.method).map((o) => o.method!))];
    const options = corruptions(p, methodsOfOthers, similar.get(p.paperId)!);
    const chosen = options.reduce((a, b) => ((used.get(b.kind) ?? 0) < (used.get(a.kind) ?? 0) ? b : a));
    used.set(chosen.kind, (used.get(chosen.kind) ?? 0) + 1);
    const target = out[half.get(p.paperId)!];
    const item = (suffix: string, kind: ClaimKind, sentence: string, paperId: string) =>
      target.push({ id: `${p.id}${suffix}`, sentence, paperId, title: byId.get(paperId)!.title, supported: kind === 'paraphrase', kind, source: p.id });
    item('s', 'paraphrase', p.text, p.paperId);
    item('u', chosen.kind, chosen.sentence, chosen.paperId);
  }
  for (const [name, claims] of Object.entries(out)) {
    writeFileSync(path.join(EVAL_DIR, `claims-${name}.jsonl`), claims.map((c) => JSON.stringify(c)).join('\n') + '\n');
    const kinds = [...new Set(claims.map((c) => c.kind))].map((k) => `${k} ${claims.filter((c) => c.kind === k).length}`);
    console.log(`claims-${name}.jsonl: ${claims.length} claims (${kinds.join(', ')})`);
  }
}

await main();
