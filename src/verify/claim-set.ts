import { readFileSync } from 'node:fs';
import { z } from 'zod';

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

/** Parse a labelled claim set (JSON lines); a malformed line throws an error naming the file and line. */
export function parseClaimSet(text: string, file: string): LabelledClaim[] {
  const claims: LabelledClaim[] = [];
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new ClaimSetError(`${where}: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    const parsed = claimSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ClaimSetError(`${where}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`).join('; ')}`);
    }
    if (ids.has(parsed.data.id)) throw new ClaimSetError(`${where}: duplicate id ${JSON.stringify(parsed.data.id)}`);
    ids.add(parsed.data.id);
    claims.push(parsed.data);
  });
  return claims;
}

/** Read a labelled claim set from a file. */
export function loadClaimSet(file: string): LabelledClaim[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ClaimSetError(`${file}: cannot read (${(error as Error).message})`, { cause: error });
  }
  return parseClaimSet(text, file);
}
