import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { Embedder } from '../embedding/embedder.js';
import { maskSecrets } from '../text/mask-secrets.js';
import { createOpenAIClient, describeOpenAIError, type FailureContext, isOpenAIFailure } from './openai-client.js';

export interface OpenAIEmbedderOptions {
  /** Optional when `baseURL` is set. */
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  /** e.g. `text-embedding-3-small`, `nomic-embed-text`. */
  model: string;
  /**
   * Vector length. When set it is sent as the API's `dimensions` parameter (OpenAI's text-embedding-3 models
   * shorten to it) and every returned vector must have it. When unset it is discovered with one probe call.
   */
  dimensions?: number | undefined;
  /** Texts per `/embeddings` request (default 64). */
  batchSize?: number | undefined;
  maxRetries: number;
  timeoutMs: number;
  /** The HTTP client the SDK calls (default: the global `fetch`). */
  fetch?: typeof fetch | undefined;
}

/** Thrown for embedding failures, with a short message that is safe to log (never the key). */
export class EmbeddingRequestError extends Error {
  override readonly name = 'EmbeddingRequestError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const DEFAULT_EMBEDDING_BATCH_SIZE = 64;
const PROBE_TEXT = 'dimension probe';

/**
 * An Embedder over the OpenAI-compatible `/embeddings` endpoint (the official SDK): texts are sent in
 * batches of `batchSize`, one batch at a time (the SDK retries each with backoff), results are put back
 * in input order by their `index`. `id` is `openai:<model>@<dimensions>`.
 * Failures throw EmbeddingRequestError ("embedding model server returned 503 after 2 retries", …).
 */
export async function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Promise<Embedder> {
  const client = createOpenAIClient(options);
  const batchSize = options.batchSize ?? DEFAULT_EMBEDDING_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer (got ${batchSize})`);
  if (options.dimensions !== undefined && (!Number.isInteger(options.dimensions) || options.dimensions < 1)) {
    throw new Error(`dimensions must be a positive integer (got ${options.dimensions})`);
  }

  const failure: FailureContext = {
    what: 'embedding model',
    modelName: options.model,
    baseURL: options.baseURL,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    apiKey: options.apiKey?.trim() || undefined,
  };

  async function embedBatch(texts: readonly string[], expectedDims: number | undefined): Promise<number[][]> {
    let response: unknown;
    try {
      response = await client.embeddings.create({
        model: options.model,
        input: [...texts],
        encoding_format: 'float',
        ...(options.dimensions !== undefined ? { dimensions: options.dimensions } : {}),
      });
    } catch (error) {
      if (!isOpenAIFailure(error)) throw error;
      const cause = new Error(maskSecrets(error instanceof Error ? error.message : String(error), [failure.apiKey]));
      throw new EmbeddingRequestError(describeOpenAIError(error, failure).message, { cause });
    }
    return readVectors(response, texts.length, expectedDims);
  }

  let dimensions = options.dimensions;
  if (dimensions === undefined) {
    const [probe] = await embedBatch([PROBE_TEXT], undefined);
    dimensions = probe?.length ?? 0;
    if (dimensions < 1) throw new EmbeddingRequestError('embedding model returned an empty vector');
  }
  const dims = dimensions;

  return {
    id: `openai:${options.model}@${dims}`,
    dimensions: dims,
    async embed(texts) {
      const out: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        out.push(...(await embedBatch(texts.slice(start, start + batchSize), dims)));
      }
      return out;
    },
  };
}

/** The vectors of an `/embeddings` response, in input order, checked: one finite vector per input, of `expectedDims`. */
function readVectors(response: unknown, count: number, expectedDims: number | undefined): number[][] {
  const data = (response as Partial<CreateEmbeddingResponse> | null)?.data;
  if (!Array.isArray(data)) throw new EmbeddingRequestError('embedding model returned a malformed response (no data)');
  const vectors: (number[] | undefined)[] = new Array<number[] | undefined>(count).fill(undefined);
  data.forEach((item, position) => {
    const index = Number.isInteger(item?.index) ? item.index : position;
    const vector: unknown = item?.embedding;
    if (index < 0 || index >= count || !Array.isArray(vector) || vector.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new EmbeddingRequestError('embedding model returned a malformed response (bad embedding item)');
    }
    vectors[index] = vector as number[];
  });
  return vectors.map((vector, index) => {
    if (!vector) throw new EmbeddingRequestError(`embedding model returned no vector for input ${index} of ${count}`);
    if (expectedDims !== undefined && vector.length !== expectedDims) {
      throw new EmbeddingRequestError(`embedding model returned ${vector.length}-dimensional vectors, expected ${expectedDims}`);
    }
    return vector;
  });
}
