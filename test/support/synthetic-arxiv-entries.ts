import { seededRandom } from '../../scripts/bench-synthetic-corpus.js';
import { renderArxivEntry, type ArxivEntrySource } from './fake-arxiv-server.js';

const WORDS = (
  'continual learning replay buffer prompt pool adapter forgetting stability plasticity task sequence ' +
  'class incremental rehearsal distillation regularisation fisher consolidation drift stream benchmark ' +
  'transformer vision language model fine tuning memory budget accuracy backward transfer representation'
).split(' ');
const ABSTRACT_WORDS = 160;
const ENTRY_SPACING_MS = 3 * 60_000;

function words(next: () => number, count: number): string {
  return Array.from({ length: count }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
}

/**
 * `count` synthetic arXiv entries (ids 2501.10000…, one every 3 minutes back from `newestMs`, ~160
 * word abstracts), rendered one at a time as the fake server pages through them.
 */
export function syntheticArxivEntries(count: number, newestMs: number): ArxivEntrySource {
  return {
    count,
    entryAt(index) {
      const next = seededRandom(index + 1);
      const published = new Date(newestMs - index * ENTRY_SPACING_MS).toISOString().replace('.000', '');
      return renderArxivEntry({
        id: `2501.${10_000 + index}v1`,
        title: `Synthetic study ${index}: ${words(next, 6)}`,
        summary: `${words(next, ABSTRACT_WORDS)}.`,
        authors: [{ name: `Author ${index} A` }, { name: `Author ${index} B`, affiliation: 'Synthetic University' }],
        published,
        primaryCategory: 'cs.LG',
        categories: ['cs.LG', 'cs.AI'],
      });
    },
  };
}
