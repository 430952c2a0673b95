import { z } from 'zod';
import { checkCitations } from '../answer/check-citations.js';
import { escapeData } from '../answer/build-context.js';
import type { Paper } from '../corpus/paper.js';
import type { ChatModel, TokenUsage } from '../model/chat-model.js';
import type { Prompts } from '../prompts/load-prompts.js';
import { normalizeUserText } from '../text/normalize-input.js';
import { askModelJson } from './ask-model-json.js';
import { formatSentenceSources, numberSentences, resolveSentenceRef, type SentenceSource } from './numbered-sentences.js';
import { createOfflineClaimScorer, type OfflineClaimScorer } from './score-claim.js';

/** A paper's stance on a claim; `not-judged` when no model was asked (offline). */
export type Stance = 'supports' | 'contradicts' | 'mixed' | 'does-not-say' | 'not-judged';

/** How each stance is shown to users. */
export const STANCE_LABELS: Readonly<Record<Stance, string>> = {
  supports: 'supports',
  contradicts: 'contradicts',
  mixed: 'mixed',
  'does-not-say': "doesn't say",
  'not-judged': 'not judged (no model)',
};

export interface PaperStance {
  /** The number the synthesis cites it by. */
  n: number;
  id: string;
  title: string;
  url: string;
  stance: Stance;
  /** The sentence of its abstract behind the stance (offline: the one closest to the claim); '' when none. */
  evidence: string;
}

export interface ConsensusResult {
  claim: string;
  /** `llm`: stances judged by the model; `offline`: evidence only, stances not judged. */
  mode: 'llm' | 'offline';
  papers: PaperStance[];
  /** One paragraph on whether the papers agree, citing them as [n]. */
  synthesis: string;
  /** Why the stances are not judged (no model, or the model failed and why). */
  notice?: string;
  /** Citations in the model's synthesis to numbers it was not given, removed. */
  removedCitations?: number;
  /** Tokens of the model call; null when no model was called. */
  usage: TokenUsage | null;
}

/** A model to judge stances with, and the prompts (`consensus.md`). */
export interface ConsensusJudge {
  model: ChatModel;
  prompts: Pick<Prompts, 'render'>;
}

export interface ConsensusOptions {
  /** Finds each paper's evidence sentence offline (default: the offline scorer with default tuning). */
  scorer?: OfflineClaimScorer;
  /** At most this many papers are judged, in the order given (default 12). */
  maxPapers?: number;
  /** Sentences of each abstract shown to the model: the ones closest to the claim (default 4). */
  sentencesPerPaper?: number;
  maxClaimChars?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const OFFLINE_CONSENSUS_NOTICE = 'No language model configured — stances are not judged; each paper shows the sentence of its abstract closest to the claim.';
export function consensusFailureNotice(reason: string): string {
  return `The language model could not judge the stances (${reason}); each paper shows the sentence of its abstract closest to the claim.`;
}

const DEFAULT_MAX_PAPERS = 12;
const DEFAULT_SENTENCES_PER_PAPER = 4;
const DEFAULT_MAX_CLAIM_CHARS = 1000;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Reply budget: per paper, plus the synthesis paragraph. */
const REPLY_TOKENS_PER_PAPER = 40;
const REPLY_TOKENS_SYNTHESIS = 300;

const replySchema = z.object({
  papers: z.array(z.object({ n: z.number().int(), stance: z.enum(['supports', 'contradicts', 'mixed', 'does-not-say']), evidence: z.string().nullable().optional() })),
  synthesis: z.string().trim().min(1),
});
type Reply = z.infer<typeof replySchema>;

interface Candidate {
  n: number;
  paper: Paper;
  /** Offline: the sentence closest to the claim, and how well it matches. */
  closest: string;
  /** Whether that sentence matches the claim as well as a supported citation would (offline scorer). */
  matches: boolean;
}

/** The `sentencesPerPaper` sentences of an abstract closest to the claim, in abstract order, with their indices. */
function closestSentences(claim: string, candidate: Candidate, scorer: OfflineClaimScorer, count: number): SentenceSource {
  const all = numberSentences(candidate.n, candidate.paper);
  const ranked = all.sentences
    .map((s) => ({ ...s, score: scorer.scoreClaim(claim, [{ title: '', abstract: s.text }]).coverage }))
    .sort((a, b) => b.score - a.score)
    .slice(0, count)
    .sort((a, b) => a.k - b.k);
  return { ...all, sentences: ranked.map(({ k, text }) => ({ k, text })) };
}

function offlineResult(claim: string, candidates: readonly Candidate[], notice: string, usage: TokenUsage | null): ConsensusResult {
  const matching = candidates.filter((c) => c.matches).map((c) => `[${c.n}]`);
  const found = matching.length
    ? `a sentence matching most of the claim's words is in ${matching.join(', ')}`
    : 'no abstract has a sentence matching most of the claim’s words';
  const synthesis = candidates.length
    ? `Stances not judged: each paper shows the sentence of its abstract closest to the claim; ${found}. Read them to see whether the papers agree.`
    : '';
  return { claim, mode: 'offline', papers: candidates.map((c) => paperStance(c, 'not-judged', c.closest)), synthesis, notice, usage };
}

function paperStance(c: Candidate, stance: Stance, evidence: string): PaperStance {
  return { n: c.n, id: c.paper.id, title: c.paper.title, url: c.paper.url, stance, evidence };
}

/** The stances of a valid reply; throws a reason when a paper is missing or repeated, or evidence is not one of its shown sentences. */
function stancesOf(reply: Reply, candidates: readonly Candidate[], shown: readonly SentenceSource[]): PaperStance[] {
  const byN = new Map(reply.papers.map((p) => [p.n, p]));
  if (byN.size !== reply.papers.length || reply.papers.length !== candidates.length || candidates.some((c) => !byN.has(c.n))) {
    throw new Error(`the reply judged papers [${reply.papers.map((p) => p.n).join(', ')}] instead of 1…${candidates.length}`);
  }
  return candidates.map((c) => {
    const judged = byN.get(c.n)!;
    const evidence = judged.evidence ? resolveSentenceRef(judged.evidence, shown, [c.n]) : undefined;
    if (judged.evidence && evidence === undefined) throw new Error(`paper ${c.n}: evidence "${judged.evidence}" is not one of its sentences`);
    return paperStance(c, judged.stance, evidence ?? (judged.stance === 'does-not-say' ? '' : c.closest));
  });
}

/**
 * "Do these papers agree that <claim>?" Each relevant paper (in the order given, numbered [1]…[n]) gets a
 * stance with its evidence sentence, and the whole a one-paragraph synthesis citing them. With a judge:
 * one batched model call (validated JSON; synthesis citations checked), falling back to the offline
 * result on any fault. Offline: each paper's sentence closest to the claim, stance "not judged (no model)".
 * An empty or over-long claim is a UserFacingError; no papers gives an empty result.
 */
export async function assessConsensus(claim: string, relevantPapers: readonly Paper[], judge?: ConsensusJudge, options: ConsensusOptions = {}): Promise<ConsensusResult> {
  const text = normalizeUserText(claim, { maxChars: options.maxClaimChars ?? DEFAULT_MAX_CLAIM_CHARS, what: 'claim', multiline: false });
  const scorer = options.scorer ?? createOfflineClaimScorer();
  const candidates: Candidate[] = relevantPapers.slice(0, options.maxPapers ?? DEFAULT_MAX_PAPERS).map((paper, i) => {
    const scored = scorer.scoreClaim(text, [paper]);
    return { n: i + 1, paper, closest: scored.evidence, matches: scored.supported };
  });
  if (!judge || candidates.length === 0) return offlineResult(text, candidates, OFFLINE_CONSENSUS_NOTICE, null);

  const shown = candidates.map((c) => closestSentences(text, c, scorer, options.sentencesPerPaper ?? DEFAULT_SENTENCES_PER_PAPER));
  const prompt = judge.prompts.render('consensus', { claim: escapeData(text), sources: formatSentenceSources(shown) });
  const maxTokens = REPLY_TOKENS_SYNTHESIS + REPLY_TOKENS_PER_PAPER * candidates.length;
  const outcome = await askModelJson(judge.model, prompt, replySchema, { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxTokens, signal: options.signal });
  if (!outcome.ok) return offlineResult(text, candidates, consensusFailureNotice(outcome.reason), outcome.usage ?? null);
  let papers: PaperStance[];
  try {
    papers = stancesOf(outcome.value, candidates, shown);
  } catch (error) {
    return offlineResult(text, candidates, consensusFailureNotice((error as Error).message), outcome.usage);
  }
  const synthesis = checkCitations(outcome.value.synthesis.replace(/\s+/g, ' '), candidates.length);
  return {
    claim: text,
    mode: 'llm',
    papers,
    synthesis: synthesis.text,
    ...(synthesis.removed ? { removedCitations: synthesis.removed } : {}),
    usage: outcome.usage,
  };
}
