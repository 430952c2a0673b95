import { NAME_CANDIDATE_FIELDS } from '../../corpus/extract-aliases.js';

/** SQL, true when a paper row's stored name candidates are current: every field of NAME_CANDIDATE_FIELDS is there (else an earlier version stored them, or none). */
export const NAME_CANDIDATES_CURRENT_SQL = `coalesce(name_candidates ?& ARRAY[${NAME_CANDIDATE_FIELDS.map((field) => `'${field}'`).join(', ')}], false)`;
