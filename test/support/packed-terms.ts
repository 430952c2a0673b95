/**
 * A paper's packed `terms` as the SQL of packed-postings.ts writes them, encoded and decoded here on
 * their own (from the format's description, not the app's reader): by ascending term id, the LEB128
 * varint of 2 × (id − previous id, the first from −1) + 1 for a term once in the abstract and not in the
 * title, else 2 × that step followed by the varints of its title and abstract counts.
 */
export interface PackedTermEntry {
  id: number;
  title: number;
  abstract: number;
}

function pushVarint(out: number[], value: number): void {
  while (value >= 128) {
    out.push((value % 128) + 128);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

export function packTerms(entries: readonly PackedTermEntry[]): Buffer {
  const out: number[] = [];
  let previous = -1;
  for (const { id, title, abstract } of [...entries].sort((a, b) => a.id - b.id)) {
    const step = id - previous;
    previous = id;
    if (title === 0 && abstract === 1) pushVarint(out, 2 * step + 1);
    else {
      pushVarint(out, 2 * step);
      pushVarint(out, title);
      pushVarint(out, abstract);
    }
  }
  return Buffer.from(out);
}

export function unpackTerms(packed: Uint8Array): PackedTermEntry[] {
  let at = 0;
  const varint = () => {
    let [value, scale] = [0, 1];
    for (;;) {
      if (at >= packed.length) throw new Error('packed terms end inside a varint');
      const byte = packed[at++]!;
      value += (byte % 128) * scale;
      if (byte < 128) return value;
      scale *= 128;
    }
  };
  const entries: PackedTermEntry[] = [];
  let id = -1;
  while (at < packed.length) {
    const head = varint();
    id += Math.floor(head / 2);
    entries.push(head % 2 === 1 ? { id, title: 0, abstract: 1 } : { id, title: varint(), abstract: varint() });
  }
  return entries;
}
