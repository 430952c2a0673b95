import { describe, expect, it } from 'vitest';
import { createLivePaperView } from '../../src/app/live-paper-view.js';
import { createSilentLogger } from '../../src/app/logger.js';
import type { PaperView } from '../../src/app/paper-view.js';
import type { OpenedPaperStore, PaperStore } from '../../src/store/paper-store.js';
import { fakePaper } from '../support/fake-paperbot.js';
import { paperCatalogue } from '../../src/answer/paper-catalogue.js';
import type { Paper } from '../../src/corpus/paper.js';

/** A store whose version the test sets; reopen() serves that many papers, or fails when told to. */
function fakeStore() {
  const state = { version: 'gen-1', papers: 1, fail: false, reopens: 0, gate: undefined as Promise<void> | undefined };
  const opened = (): OpenedPaperStore =>
    ({ papers: Array.from({ length: state.papers }, (_, i) => fakePaper(`p${i}`, `Paper ${i}`)), info: { version: state.version } }) as unknown as OpenedPaperStore & { papers: Paper[] };
  const store: PaperStore = {
    open: async () => opened(),
    currentVersion: async () => state.version,
    async reopen() {
      state.reopens += 1;
      await state.gate;
      if (state.fail) throw new Error('unreadable');
      return opened();
    },
  };
  return { state, store, opened };
}

type TestView = PaperView & { papers: Paper[]; catalogueReads: number };
const viewOf = (live: { current(): PaperView }) => live.current() as TestView;

/** A view whose catalogue is the opened papers; `catalogueReads` counts the reads. */
const build = (opened: OpenedPaperStore): PaperView & { papers: Paper[]; catalogueReads: number } => {
  const { papers } = opened as OpenedPaperStore & { papers: Paper[] };
  const view = {
    papers,
    catalogueReads: 0,
    catalogue: async () => {
      view.catalogueReads += 1;
      return paperCatalogue(papers);
    },
    version: opened.info.version,
    paperCount: papers.length,
  };
  return view as unknown as PaperView & { papers: Paper[]; catalogueReads: number };
};

describe('createLivePaperView', () => {
  it('swaps in the new papers when the store version changes; a view taken before keeps the old papers', async () => {
    const { state, store, opened } = fakeStore();
    const live = createLivePaperView({ store, initial: build(opened()), build, logger: createSilentLogger() });
    expect(await live.refresh()).toBe(false);
    expect(state.reopens).toBe(0);
    const inFlight = live.current();
    state.version = 'gen-2';
    state.papers = 3;
    expect(await live.refresh()).toBe(true);
    expect(viewOf(live).papers).toHaveLength(3);
    // Its paper list was read before it was served (name resolution never waits for it).
    expect(viewOf(live).catalogueReads).toBe(1);
    expect((inFlight as TestView).papers).toHaveLength(1);
    expect(await live.refresh()).toBe(false);
    expect(state.reopens).toBe(1);
  });

  it('a new version whose paper list cannot be read is not served: the old view stays', async () => {
    const { state, store, opened } = fakeStore();
    const failing = (o: OpenedPaperStore): PaperView => ({ ...build(o), catalogue: async () => Promise.reject(new Error('connection lost')) }) as unknown as PaperView;
    const live = createLivePaperView({ store, initial: build(opened()), build: failing, logger: createSilentLogger() });
    state.version = 'gen-2';
    expect(await live.refresh()).toBe(false);
    expect(live.current().version).toBe('gen-1');
  });

  it('concurrent refreshes share one load', async () => {
    const { state, store, opened } = fakeStore();
    const live = createLivePaperView({ store, initial: build(opened()), build, logger: createSilentLogger() });
    let open!: () => void;
    state.gate = new Promise((resolve) => (open = resolve));
    state.version = 'gen-2';
    const refreshes = [live.refresh(), live.refresh(), live.refresh()];
    await new Promise((resolve) => setImmediate(resolve));
    open();
    expect(await Promise.all(refreshes)).toEqual([true, true, true]);
    expect(state.reopens).toBe(1);
  });

  it('a failed load keeps the old view, is not retried for the same version, and the next version loads', async () => {
    const { state, store, opened } = fakeStore();
    const live = createLivePaperView({ store, initial: build(opened()), build, logger: createSilentLogger() });
    state.version = 'gen-2';
    state.fail = true;
    expect(await live.refresh()).toBe(false);
    expect(live.current().version).toBe('gen-1');
    expect(await live.refresh()).toBe(false);
    expect(state.reopens).toBe(1);
    state.fail = false;
    state.version = 'gen-3';
    expect(await live.refresh()).toBe(true);
    expect(live.current().version).toBe('gen-3');
  });

  it('a store that cannot change (no currentVersion) is never reloaded', async () => {
    const { store, opened } = fakeStore();
    const live = createLivePaperView({ store: { open: store.open }, initial: build(opened()), build, logger: createSilentLogger() });
    expect(await live.refresh()).toBe(false);
  });
});
