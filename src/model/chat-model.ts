export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** True when the server reported no usage and the counts were estimated (~4 characters per token). */
  estimated?: boolean;
}

export interface CompletionOptions {
  maxTokens?: number;
  temperature?: number;
  /** When given, the model streams and each text delta is passed here as it arrives. */
  onToken?: (delta: string) => void;
  signal?: AbortSignal;
}

export interface Completion {
  text: string;
  usage: TokenUsage;
  model: string;
}

/**
 * A chat model: messages in, text out (streamed through `onToken` when asked).
 * Implementations throw `ModelUnavailableError` for 429/5xx/timeouts/malformed responses after
 * their own retries, so callers can fall back to the offline answer.
 */
export interface ChatModel {
  readonly id: string;
  complete(messages: readonly ChatMessage[], options?: CompletionOptions): Promise<Completion>;
}

/** Why a model call failed, for a short notice to users (the full message goes to the logs). */
export type ModelFailureKind = 'timeout' | 'connection' | 'auth' | 'not-found' | 'rate-limit' | 'server' | 'bad-request' | 'malformed' | 'other';

/** The model could not answer; `message` is for logs (it may name the server), `kind` is safe to show. */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';
  readonly kind: ModelFailureKind;
  constructor(message: string, options?: { cause?: unknown; kind?: ModelFailureKind }) {
    super(message, options);
    this.kind = options?.kind ?? 'other';
  }
}
