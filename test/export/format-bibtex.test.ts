import { parse } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import type { CitedPaper } from '../../src/export/cited-papers.js';
import { bibtexKeys, escapeBibtexValue, formatBibtex } from '../../src/export/format-bibtex.js';

const videomae: CitedPaper = {
  id: 'arxiv-2303.16727',
  title: 'VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking',
  url: 'https://arxiv.org/abs/2303.16727',
  authors: ['Limin Wang', 'Bingkun Huang'],
  published: '2023-03-29',
};
const hostile: CitedPaper = {
  id: 'hostile-1234abcd',
  title: 'Costs of 100% & more: $x_1^2$ {unbalanced \\emph{tricks} #1 ~ }} @everyone',
  url: 'https://arxiv.org/search/?query=a%20b{c}',
  authors: ['José Müller', 'O\'Brien, Seán'],
};

describe('formatBibtex', () => {
  it('writes @misc entries a real BibTeX parser reads back with the same title, authors, year, eprint and url', () => {
    const library = parse(formatBibtex([videomae, hostile]), { sentenceCase: false });
    expect(library.errors).toEqual([]);
    expect(library.entries).toHaveLength(2);
    const [first, second] = library.entries;
    expect(first!.type).toBe('misc');
    expect(first!.key).toBe('wang2023videomae');
    expect(first!.fields.title).toBe(videomae.title);
    expect(first!.fields.author).toEqual([
      { firstName: 'Limin', lastName: 'Wang' },
      { firstName: 'Bingkun', lastName: 'Huang' },
    ]);
    expect(first!.fields.year).toBe('2023');
    expect(first!.fields.eprint).toBe('2303.16727');
    expect(first!.fields.archiveprefix).toBe('arXiv');
    expect(first!.fields.url).toBe('https://arxiv.org/abs/2303.16727');
    // LaTeX special characters survive the round trip as text: escaped, braces balanced.
    expect(second!.fields.title).toBe(hostile.title);
    expect(second!.fields.author).toEqual([
      { firstName: 'José', lastName: 'Müller' },
      { firstName: 'Seán', lastName: "O'Brien" },
    ]);
    expect(second!.fields.url).toBe('https://arxiv.org/search/?query=a%20b%7Bc%7D');
  });

  it('escapes every LaTeX special character', () => {
    expect(escapeBibtexValue('a & b % c $ d # e _ f { g } h ~ i ^ j \\ k')).toBe(
      'a \\& b \\% c \\$ d \\# e \\_ f \\{ g \\} h \\textasciitilde{} i \\textasciicircum{} j \\textbackslash{} k',
    );
    expect(escapeBibtexValue('line\nbreak\u0000 and\u202e bidi')).toBe('line break and bidi');
  });

  it('gives stable keys, unique within a file', () => {
    const twin: CitedPaper = { ...videomae, id: 'arxiv-2303.99999', url: 'https://arxiv.org/abs/2303.99999' };
    const keys = bibtexKeys([videomae, twin, hostile]);
    expect(new Set(keys).size).toBe(3);
    expect(keys[0]).toMatch(/^wang2023videomae-[0-9a-f]{6}$/);
    expect(bibtexKeys([twin, videomae])).toEqual([keys[1], keys[0]]);
    expect(bibtexKeys([videomae])).toEqual(['wang2023videomae']);
    expect(bibtexKeys([{ id: 'x', title: '', url: '' }])).toEqual(['paper']);
  });

  it('handles papers without authors, year or arXiv id, and an empty list', () => {
    const bare: CitedPaper = { id: 'bare-00000000', title: 'The Bare Paper', url: 'not a url' };
    const library = parse(formatBibtex([bare]));
    expect(library.errors).toEqual([]);
    expect(library.entries[0]!.key).toBe('paperbare');
    expect(library.entries[0]!.fields.url).toBeUndefined();
    expect(formatBibtex([])).toBe('');
  });
});
