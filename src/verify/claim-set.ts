import { z } from 'zod';
import { parseIdLines, readLinesFile } from '../eval/parse-id-lines.js';

/** How a labelled claim was made: a paraphrase of the cited abstract (supported) or one corruption of one. */
export const CLAIM_KINDS = ['paraphrase', 'citation-swap', 'number', 'negation', 'method-swap'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];
export type CorruptionKind = Exclude<ClaimKind, 'paraphrase'>;

/** One labelled (sentence, cited paper, supported?) pair of `data/eval/claims-*.jsonl`. */
export interface LabelledClaim {
  id: string;
  sentence: string;
  /** The paper the sentence cites. */
  paperId: string;
  supported: boolean;
  kind: ClaimKind;
  /** The hand-written paraphrase it was made from (`data/eval/claims-paraphrases.jsonl`). */
  source: string;
}

const claimSchema = z
  .object({
    id: z.string().min(1),
    sentence: z.string().trim().min(1),
    paperId: z.string().min(1),
    supported: z.boolean(),
    kind: z.enum(CLAIM_KINDS),
    source: z.string().min(1),
  })
  .refine((claim) => claim.supported === (claim.kind === 'paraphrase'), 'supported must be true exactly for kind "paraphrase"');

export class ClaimSetError extends Error {
  override readonly name = 'ClaimSetError';
}

const fail = (message: string, cause?: unknown) => new ClaimSetError(message, cause === undefined ? undefined : { cause });

/** Parse a labelled claim set (JSON lines); a malformed line throws an error naming the file and line. */
export function parseClaimSet(text: string, file: string): LabelledClaim[] {
  return parseIdLines<LabelledClaim>(text, file, () => claimSchema, fail);
}

/** Read a labelled claim set from a file. */
export function loadClaimSet(file: string): LabelledClaim[] {
  return parseClaimSet(readLinesFile(file, fail), file);
}
