import type pg from 'pg';
import { aliasKey, type NameCandidates } from '../../corpus/extract-aliases.js';
import type { Paper, PaperEntry } from '../../corpus/paper.js';
import { PAPER_CATALOGUE_TABLE, PAPER_NAMES_TABLE, PAPERS_TABLE } from './paper-migrations.js';

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

/** One row of the names table: a name candidate of a paper (defined, then coined; acronyms are not aliases). */
interface NameRow {
  id: string;
  ordinal: number;
  key: string;
  name: string;
  coined: boolean;
}

/** The name rows of a paper's candidates (see PAPER_NAMES_TABLE); names without a key (no letter or digit) are left out. */
export function nameRowsOf(id: string, names: NameCandidates): NameRow[] {
  const all = [...names.defined.map((name) => ({ name, coined: false })), ...names.coined.map((name) => ({ name, coined: true }))];
  return all.map(({ name, coined }, ordinal) => ({ id, ordinal, key: aliasKey(name), name, coined })).filter((row) => row.key !== '');
}

/**
 * Insert or replace the catalogue rows and the name rows of papers already written to the papers table
 * (their key and position are read from there); their catalogue rows are marked `named`.
 */
export async function writeCatalogueEntries(client: pg.PoolClient, papers: readonly Paper[], names: readonly NameCandidates[]): Promise<void> {
  const ids = papers.map((paper) => paper.id);
  await client.query(
    `INSERT INTO ${PAPER_CATALOGUE_TABLE} (key, position, entry, named)
     SELECT p.key, p.position, u.entry, true FROM unnest($1::text[], $2::text[]) AS u(id, entry) JOIN ${PAPERS_TABLE} p ON p.id = u.id
     ON CONFLICT (key) DO UPDATE SET position = EXCLUDED.position, entry = EXCLUDED.entry, named = true`,
    [ids, papers.map((paper, i) => catalogueEntryText(paper, names[i]!))],
  );
  await client.query(`DELETE FROM ${PAPER_NAMES_TABLE} WHERE paper_key IN (SELECT key FROM ${PAPERS_TABLE} WHERE id = ANY($1::text[]))`, [ids]);
  const rows = papers.flatMap((paper, i) => nameRowsOf(paper.id, names[i]!));
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO ${PAPER_NAMES_TABLE} (paper_key, ordinal, key, name, coined)
     SELECT p.key, u.ordinal, u.key, u.name, u.coined FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::boolean[]) AS u(id, ordinal, key, name, coined)
     JOIN ${PAPERS_TABLE} p ON p.id = u.id`,
    [rows.map((r) => r.id), rows.map((r) => r.ordinal), rows.map((r) => r.key), rows.map((r) => r.name), rows.map((r) => r.coined)],
  );
}
