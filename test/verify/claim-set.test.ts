import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import type { Paper } from '../../src/corpus/paper.js';
import { parseCorpusFile } from '../../src/corpus/parse-corpus-file.js';
import { createOfflineEmbedder } from '../../src/embedding/offline-embedder.js';
import { splitSentences, words } from '../../src/text/tokenize.js';
import { ClaimSetError, loadClaimSet, parseClaimSet, type LabelledClaim } from '../../src/verify/claim-set.js';
import { evaluateClaims } from '../../src/verify/evaluate-claims.js';
import { createOfflineClaimScorer } from '../../src/verify/score-claim.js';

const EVAL_DIR = path.join(PROJECT_ROOT, 'data', 'eval');
let papersById: Map<string, Paper>;
let halves: Record<'tuning' | 'heldout', LabelledClaim[]>;

beforeAll(async () => {
  const { papers } = await parseCorpusFile(path.join(PROJECT_ROOT, 'data', 'corpus', 'hf-trending-papers.txt'));
  papersById = new Map(papers.map((p) => [p.id, p]));
  halves = { tuning: loadClaimSet(path.join(EVAL_DIR, 'claims-tuning.jsonl')), heldout: loadClaimSet(path.join(EVAL_DIR, 'claims-heldout.jsonl')) };
});

/** The paper each hand-written paraphrase is about (the paper its supported claim cites). */
const sourcePapers = (claims: readonly LabelledClaim[]) => new Set(claims.filter((c) => c.supported).map((c) => c.paperId));

describe('the labelled claim set', () => {
  it('has at least 200 claims, about half in each half, citing papers of the bundled corpus', () => {
    expect(halves.tuning.length + halves.heldout.length).toBeGreaterThanOrEqual(200);
    for (const claims of Object.values(halves)) {
      expect(claims.length).toBeGreaterThanOrEqual(100);
      for (const claim of claims) expect(papersById.has(claim.paperId), claim.id).toBe(true);
    }
  });

  it('keeps each paper’s claims in one half only', () => {
    const tuning = sourcePapers(halves.tuning);
    for (const id of sourcePapers(halves.heldout)) expect(tuning.has(id), id).toBe(false);
  });

  it('pairs every corrupted claim with the supported paraphrase it was made from, and has every corruption kind in each half', () => {
    for (const claims of Object.values(halves)) {
      const supported = new Map(claims.filter((c) => c.supported).map((c) => [c.source, c]));
      for (const claim of claims.filter((c) => !c.supported)) {
        const original = supported.get(claim.source);
        expect(original, claim.id).toBeDefined();
        expect(claim.sentence !== original!.sentence || claim.paperId !== original!.paperId, claim.id).toBe(true);
      }
      for (const kind of ['citation-swap', 'number', 'negation', 'method-swap']) {
        expect(claims.filter((c) => c.kind === kind).length, kind).toBeGreaterThanOrEqual(10);
      }
    }
  });

  it('holds paraphrases, not copies: no supported claim repeats a sentence of its abstract or 15 of its words in a row', () => {
    for (const claim of [...halves.tuning, ...halves.heldout].filter((c) => c.supported)) {
      const abstract = papersById.get(claim.paperId)!.abstract;
      expect(splitSentences(abstract), claim.id).not.toContain(claim.sentence);
      const text = words(abstract).join(' ');
      const w = words(claim.sentence);
      for (let i = 0; i + 15 <= w.length; i++) expect(text.includes(w.slice(i, i + 15).join(' ')), claim.id).toBe(false);
    }
  });
});

describe('the offline scorer on the labelled set', () => {
  it('flags at least 80% of the corrupted claims and at most 10% of the supported ones, on each half', async () => {
    const { wordSimilarity } = await createOfflineEmbedder();
    const scorer = createOfflineClaimScorer({ wordSimilarity });
    for (const [half, claims] of Object.entries(halves)) {
      const e = evaluateClaims(claims, papersById, (sentence, papers) => scorer.scoreClaim(sentence, papers));
      expect(e.recall, half).toBeGreaterThanOrEqual(0.8);
      expect(e.falseFlagRate, half).toBeLessThanOrEqual(0.1);
      expect(e.byKind.number.flagged / e.byKind.number.total, half).toBeGreaterThanOrEqual(0.9);
      expect(e.byKind['method-swap'].flagged, half).toBe(e.byKind['method-swap'].total);
    }
  });
});

describe('parseClaimSet', () => {
  it('names the file and line of a malformed record', () => {
    expect(() => parseClaimSet('{"id": "a"', 'x.jsonl')).toThrow(ClaimSetError);
    expect(() => parseClaimSet('\n{"id":"a","sentence":"s","paperId":"p","supported":true,"kind":"negation","source":"p1"}', 'x.jsonl')).toThrow(
      /x\.jsonl:2: .*supported must be true exactly for kind "paraphrase"/,
    );
    const line = '{"id":"a","sentence":"s","paperId":"p","supported":false,"kind":"number","source":"p1"}';
    expect(() => parseClaimSet(`${line}\n${line}`, 'x.jsonl')).toThrow(/x\.jsonl:2: duplicate id "a"/);
  });
});
