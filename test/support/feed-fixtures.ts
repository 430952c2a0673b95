import { readFileSync } from 'node:fs';
import { renderArxivEntry, type ArxivEntryFixture } from './fake-arxiv-server.js';

const fixturePath = (name: string) => new URL(`../fixtures/feeds/${name}`, import.meta.url);

/** The fixture arXiv query results (newest first), as Atom `<entry>` elements. */
export function loadArxivFixtureEntries(): string[] {
  const entries = JSON.parse(readFileSync(fixturePath('arxiv-continual-learning.json'), 'utf8')) as ArxivEntryFixture[];
  return entries.map(renderArxivEntry);
}

/** The fixture Hugging Face daily papers, by date. */
export function loadHfFixtureDays(): Record<string, unknown[]> {
  return JSON.parse(readFileSync(fixturePath('hf-daily-papers.json'), 'utf8')) as Record<string, unknown[]>;
}

/** "Now" in the feed tests: the fixtures' newest day, 2025-01-08 12:00 UTC. */
export const FIXTURE_NOW = Date.UTC(2025, 0, 8, 12, 0, 0);
/** A week before FIXTURE_NOW (`--since 7d`). */
export const FIXTURE_SINCE = new Date(Date.UTC(2025, 0, 1, 12, 0, 0));
