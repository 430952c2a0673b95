import type { PaperStore } from '../store/paper-store.js';
import type { Logger } from './logger.js';
import type { PaperView } from './paper-view.js';

/** The papers a long-running process serves, caught up with the store when it changes. */
export interface LivePaperView {
  /** The view new work starts on (work already running keeps the view it took). */
  current(): PaperView;
  /**
   * Catch up with the store: when its version differs from the view's, load the new papers and swap
   * them in (one load at a time; concurrent callers wait for it). True when a new view was swapped in.
   * Never throws: a failed load is logged, the old view stays, the next change is tried again.
   */
  refresh(): Promise<boolean>;
}

export function createLivePaperView(deps: { store: PaperStore; initial: PaperView; build: (opened: Awaited<ReturnType<PaperStore['open']>>) => PaperView; logger: Logger }): LivePaperView {
  const { store, logger } = deps;
  let view = deps.initial;
  /** A version whose load failed: not retried until the store changes again. */
  let failedVersion: string | undefined;
  let loading: Promise<boolean> | undefined;

  const load = async (version: string): Promise<boolean> => {
    const started = performance.now();
    try {
      const opened = await store.reopen!();
      const next = deps.build(opened);
      // Served once its paper list is read: name resolution and autocomplete never wait for it (Discord's 3 s).
      await next.catalogue();
      const previous = view;
      view = next;
      failedVersion = undefined;
      logger.info(
        { event: 'index-reloaded', from: previous.version, to: view.version, papers: view.paperCount, added: view.paperCount - previous.paperCount, ms: Math.round(performance.now() - started) },
        'serving the updated paper index',
      );
      return true;
    } catch (error) {
      failedVersion = version;
      logger.warn({ err: error, event: 'index-reload-failed', version }, 'could not load the updated paper index; still serving the previous one');
      return false;
    }
  };

  return {
    current: () => view,
    async refresh() {
      if (!store.currentVersion || !store.reopen) return false;
      if (loading) return loading;
      let version: string | undefined;
      try {
        version = await store.currentVersion();
      } catch {
        return false;
      }
      if (version === undefined || version === view.version || version === failedVersion) return false;
      if (loading) return loading;
      loading = load(version).finally(() => {
        loading = undefined;
      });
      return loading;
    },
  };
}
