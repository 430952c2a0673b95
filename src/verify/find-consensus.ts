import { quote } from '../answer/generate-answer.js';
import { isSecretRequest, SECRET_REFUSAL } from '../answer/guard-secrets.js';
import { UserFacingError } from '../errors.js';
import type { ChatModel } from '../model/chat-model.js';
import type { Prompts } from '../prompts/load-prompts.js';
import type { PaperSearcher } from '../retrieval/search-types.js';
import { normalizeUserText } from '../text/normalize-input.js';
import { assessConsensus, type ConsensusResult } from './assess-consensus.js';
import type { OfflineClaimScorer } from './score-claim.js';

/** How many papers are searched, and at most judged, for one claim. */
export const CONSENSUS_K = 12;

/** What `findConsensus` needs; built once by the composition root. */
export interface ConsensusDeps {
  searcher: PaperSearcher;
  /** Absent → offline: evidence sentences, stances not judged. */
  model?: ChatModel | undefined;
  prompts: Pick<Prompts, 'render'>;
  scorer: OfflineClaimScorer;
  maxClaimChars: number;
}

/**
 * "Do the papers here agree that <claim>?" The papers the relevance check (as for /ask) finds relevant,
 * up to CONSENSUS_K, each with a stance and its evidence sentence, and a synthesis (`assessConsensus`:
 * one batched model call, offline evidence otherwise or on any fault). Empty or over-long claims, requests
 * for the prompt or secrets, and claims the corpus has nothing on are UserFacingErrors (no model call).
 */
export async function findConsensus(deps: ConsensusDeps, claim: string, options: { signal?: AbortSignal } = {}): Promise<ConsensusResult> {
  const text = normalizeUserText(claim, { maxChars: deps.maxClaimChars, what: 'claim', multiline: false });
  if (isSecretRequest(text)) throw new UserFacingError('refused-request', SECRET_REFUSAL);
  const response = await deps.searcher.search(text, { k: CONSENSUS_K });
  const relevant = response.relevant ? response.hits.filter((hit) => hit.relevant).map((hit) => hit.paper) : [];
  if (relevant.length === 0) {
    throw new UserFacingError('nothing-relevant', `The corpus has nothing on "${quote(text)}", so no paper can agree or disagree. Try a claim with specific terms — a method, task, dataset or result.`);
  }
  const judge = deps.model ? { model: deps.model, prompts: deps.prompts } : undefined;
  return assessConsensus(text, relevant, judge, { scorer: deps.scorer, maxPapers: CONSENSUS_K, maxClaimChars: deps.maxClaimChars, ...(options.signal ? { signal: options.signal } : {}) });
}
