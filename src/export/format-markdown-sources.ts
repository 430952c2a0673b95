import type { CitedPaper } from './cited-papers.js';
import { arxivOf, yearOf } from './format-bibtex.js';

/** Markdown link text: brackets and backslashes escaped, one line. */
function linkText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/([\\[\]*_`<>])/g, '\\$1');
}

/** A url safe inside `(...)`. */
function linkUrl(url: string): string {
  return url.trim().replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\s/g, '%20');
}

/** The papers as a numbered Markdown list: linked title, authors, year, arXiv id. */
export function formatMarkdownSources(papers: readonly CitedPaper[], heading = 'Sources'): string {
  const lines = [`# ${linkText(heading)}`, ''];
  papers.forEach((paper, i) => {
    const title = /^https?:\/\//.test(paper.url) ? `[${linkText(paper.title)}](${linkUrl(paper.url)})` : linkText(paper.title);
    const details = [paper.authors?.length ? linkText(paper.authors.join(', ')) : undefined, yearOf(paper), arxivOf(paper) ? `arXiv:${arxivOf(paper)}` : undefined].filter(Boolean);
    lines.push(`${i + 1}. ${title}${details.length ? ` — ${details.join(', ')}` : ''}`);
  });
  if (papers.length === 0) lines.push('No sources.');
  return lines.join('\n') + '\n';
}
