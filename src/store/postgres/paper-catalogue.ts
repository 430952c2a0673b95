import type pg from 'pg';
import type { NameCandidates } from '../../corpus/extract-aliases.js';
import type { Paper, PaperEntry } from '../../corpus/paper.js';
import { PAPER_CATALOGUE_TABLE, PAPERS_TABLE } from './paper-migrations.js';

/** A catalogue row's entry: the paper without its abstract, and its name candidates as stored (null, or an earlier version's: extracted again on open). */
export interface CatalogueRow {
  paper: PaperEntry;
  names: unknown;
}

/** A paper's catalogue entry: without its abstract, content hash and source (see PaperEntry). */
export function paperEntryOf(paper: Paper): PaperEntry {
  const { abstract: _abstract, contentHash: _contentHash, source: _source, ...entry } = paper;
  return entry;
}

/** The catalogue entry (JSON text) of a paper with its name candidates. */
export function catalogueEntryText(paper: Paper, names: NameCandidates): string {
  return JSON.stringify({ paper: paperEntryOf(paper), names } satisfies CatalogueRow);
}

/** Insert or replace the catalogue rows of papers already written to the papers table (their key and position are read from there). */
export async function writeCatalogueEntries(client: pg.PoolClient, papers: readonly Paper[], names: readonly NameCandidates[]): Promise<void> {
  await client.query(
    `INSERT INTO ${PAPER_CATALOGUE_TABLE} (key, position, entry)
     SELECT p.key, p.position, u.entry FROM unnest($1::text[], $2::text[]) AS u(id, entry) JOIN ${PAPERS_TABLE} p ON p.id = u.id
     ON CONFLICT (key) DO UPDATE SET position = EXCLUDED.position, entry = EXCLUDED.entry`,
    [papers.map((paper) => paper.id), papers.map((paper, i) => catalogueEntryText(paper, names[i]!))],
  );
}
