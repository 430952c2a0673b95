import { z } from 'zod';
import { escapeData } from '../answer/build-context.js';
import type { ChatModel, TokenUsage } from '../model/chat-model.js';
import type { Prompts } from '../prompts/load-prompts.js';
import { askModelJson } from './ask-model-json.js';
import type { CitedSentence, ClaimSource, ClaimVerdict, ClaimVerifier, VerifierOutcome } from './claim-types.js';
import { formatSentenceSources, numberSentences, resolveSentenceRef, type SentenceSource } from './numbered-sentences.js';
import { claimText } from './split-claims.js';

/** Default time limit of the entailment call. */
export const DEFAULT_VERIFY_TIMEOUT_MS = 20_000;
/** Reply budget: a little per claim plus the JSON frame. */
const REPLY_TOKENS_PER_CLAIM = 40;
const REPLY_TOKENS_BASE = 60;
/** The score a verdict stands for. */
const VERDICT_SCORE = { supported: 1, partial: 0.5, unsupported: 0 } as const;

const replySchema = z.object({
  claims: z.array(
    z.object({
      id: z.number().int(),
      verdict: z.enum(['supported', 'partial', 'unsupported']),
      evidence: z.string().nullable().optional(),
    }),
  ),
});
type Reply = z.infer<typeof replySchema>;

export interface ModelClaimVerifierOptions {
  model: ChatModel;
  prompts: Pick<Prompts, 'render'>;
  /** Judges the claims when the model cannot (any fault), and supplies evidence the model did not name. */
  fallback: ClaimVerifier;
  timeoutMs?: number;
}

/** The claims as prompt text: "1. (cites [1], [2]) claim text". */
function formatClaims(sentences: readonly CitedSentence[]): string {
  return sentences.map((s, i) => `${i + 1}. (cites ${s.citations.map((n) => `[${n}]`).join(', ')}) ${escapeData(claimText(s.text))}`).join('\n');
}

/**
 * The verdicts of a reply, in claim order (evidence undefined when the model named none); throws a reason
 * when the reply does not answer exactly the claims asked (missing, repeated or unknown ids) or names
 * evidence outside a claim's cited sources.
 */
function verdictsOf(reply: Reply, sentences: readonly CitedSentence[], sources: readonly SentenceSource[]): { supported: boolean; score: number; evidence: string | undefined }[] {
  const byId = new Map(reply.claims.map((c) => [c.id, c]));
  if (byId.size !== reply.claims.length || reply.claims.length !== sentences.length || sentences.some((_, i) => !byId.has(i + 1))) {
    throw new Error(`the reply judged ids [${reply.claims.map((c) => c.id).join(', ')}] instead of 1…${sentences.length}`);
  }
  return sentences.map((sentence, i) => {
    const judged = byId.get(i + 1)!;
    const evidence = judged.evidence ? resolveSentenceRef(judged.evidence, sources, sentence.citations) : undefined;
    if (judged.evidence && evidence === undefined) throw new Error(`claim ${i + 1}: evidence "${judged.evidence}" is not a sentence of its cited sources`);
    return { supported: judged.verdict === 'supported', score: VERDICT_SCORE[judged.verdict], evidence };
  });
}

/**
 * A verifier that asks a chat model, in one batched call per answer, whether each cited sentence is
 * entailed by its cited abstracts (JSON reply validated with zod: every claim id exactly once, evidence
 * only from the cited sources). On any fault — error, timeout, malformed JSON, wrong ids — it returns
 * the fallback's verdicts with the reason. Score: 1 supported, 0.5 partial, 0 unsupported.
 */
export function createModelClaimVerifier(options: ModelClaimVerifierOptions): ClaimVerifier {
  const timeoutMs = options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const fallBack = async (sentences: readonly CitedSentence[], sources: readonly ClaimSource[], reason: string, usage: TokenUsage | undefined): Promise<VerifierOutcome> => ({
    ...(await options.fallback.verify(sentences, sources)),
    verifiedBy: 'offline',
    fallbackReason: reason,
    ...(usage ? { usage } : {}),
  });

  return {
    kind: 'model',
    async verify(sentences, sources, verifyOptions = {}) {
      const cited = sources.filter((s) => sentences.some((sentence) => sentence.citations.includes(s.n))).map((s) => numberSentences(s.n, s.paper));
      const prompt = options.prompts.render('verify-claims', { sources: formatSentenceSources(cited), claims: formatClaims(sentences) });
      const maxTokens = REPLY_TOKENS_BASE + REPLY_TOKENS_PER_CLAIM * sentences.length;
      const outcome = await askModelJson(options.model, prompt, replySchema, { timeoutMs, maxTokens, signal: verifyOptions.signal });
      if (!outcome.ok) return fallBack(sentences, sources, outcome.reason, outcome.usage);
      let judged: ReturnType<typeof verdictsOf>;
      try {
        judged = verdictsOf(outcome.value, sentences, cited);
      } catch (error) {
        return fallBack(sentences, sources, (error as Error).message, outcome.usage);
      }
      // Evidence the model did not name comes from the offline scorer's best-matching sentence.
      const offline = judged.some((v) => v.evidence === undefined) ? (await options.fallback.verify(sentences, sources)).verdicts : [];
      const verdicts = judged.map((v, i): ClaimVerdict => ({ supported: v.supported, score: v.score, evidence: v.evidence ?? offline[i]?.evidence ?? '' }));
      return { verdicts, verifiedBy: 'model', usage: outcome.usage };
    },
  };
}
