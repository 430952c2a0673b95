import type { AnswerSource } from '../answer/answer-types.js';
import type { PaperEntry } from '../corpus/paper.js';
import { collectCitedPapers } from './cited-papers.js';
import { formatBibtex } from './format-bibtex.js';
import { formatMarkdownSources } from './format-markdown-sources.js';

export const EXPORT_FORMATS = ['bib', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An export ready to save or attach. */
export interface SourcesFile {
  name: string;
  text: string;
  /** How many distinct papers it holds. */
  count: number;
}

/** The sources of one or more answers as a `.bib` or `.md` file (distinct papers, first-cited order). */
export function exportSources(
  sources: readonly AnswerSource[],
  getPaper: (id: string) => PaperEntry | undefined,
  options: { format: ExportFormat; baseName?: string; heading?: string },
): SourcesFile {
  const papers = collectCitedPapers(sources, getPaper);
  const base = (options.baseName ?? 'sources').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'sources';
  const text = options.format === 'bib' ? formatBibtex(papers) : formatMarkdownSources(papers, options.heading);
  return { name: `${base}.${options.format}`, text, count: papers.length };
}
