import { describe, expect, it } from 'vitest';
import { arxivAbsUrl, parseArxivId } from '../../src/feeds/arxiv-id.js';

describe('parseArxivId', () => {
  it('splits the version off abs URLs and bare ids', () => {
    expect(parseArxivId('http://arxiv.org/abs/2303.16727v2')).toEqual({ id: '2303.16727', version: 2 });
    expect(parseArxivId('https://arxiv.org/pdf/2303.16727v11.pdf')).toEqual({ id: '2303.16727', version: 11 });
    expect(parseArxivId('2303.16727')).toEqual({ id: '2303.16727' });
    expect(parseArxivId('arXiv:2401.01234v1')).toEqual({ id: '2401.01234', version: 1 });
  });

  it('reads old-style archive identifiers', () => {
    expect(parseArxivId('http://arxiv.org/abs/hep-th/9901001v3')).toEqual({ id: 'hep-th/9901001', version: 3 });
    expect(parseArxivId('math.GT/0309136')).toEqual({ id: 'math.GT/0309136' });
  });

  it('refuses what is not an arXiv identifier', () => {
    for (const value of ['', 'not-an-id', 'http://arxiv.org/abs/not-an-arxiv-id', '2303.167', 'https://example.org/abs/2303.16727', '2303.16727v']) {
      expect(parseArxivId(value), value).toBeUndefined();
    }
  });
});

describe('arxivAbsUrl', () => {
  it('links the abstract page without a version', () => {
    expect(arxivAbsUrl('2303.16727')).toBe('https://arxiv.org/abs/2303.16727');
  });
});
