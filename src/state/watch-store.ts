/** Who a watch notifies: a user (by DM) or a channel (posted there, mentioning the subscriber). */
export type WatchScope = 'user' | 'channel';

export interface Watch {
  id: string;
  scope: WatchScope;
  /** The user id (scope user) or the channel id (scope channel). */
  targetId: string;
  /** The user who subscribed (the only one a notice may mention). */
  subscriberId: string;
  topic: string;
  createdAt: number;
}

export type NewWatch = Omit<Watch, 'id' | 'createdAt'>;

/**
 * /watch subscriptions: one per target and topic (the topic compared case-insensitively), and a
 * record of the notices sent so a fetch's notice reaches each subscription at most once.
 */
export interface WatchStore {
  /** Add a watch; `added` false when the target already watches this topic (the existing watch is returned). */
  add(watch: NewWatch, at: number): Promise<{ added: boolean; watch: Watch }>;
  /** Remove the target's watch on this topic; false when there was none. */
  remove(scope: WatchScope, targetId: string, topic: string): Promise<boolean>;
  /** The target's watches, oldest first. */
  list(scope: WatchScope, targetId: string): Promise<Watch[]>;
  /** Every watch, oldest first. */
  all(): Promise<Watch[]>;
  /** Claim the notice of `runKey` for a watch: true once (the caller sends it), false after. Atomic. */
  claimNotice(watchId: string, runKey: string, at: number): Promise<boolean>;
}
