/**
 * Maximal marginal relevance: greedily pick `k` items maximising
 * λ·relevance − (1 − λ)·max similarity to the items already picked.
 * Similarity is the cosine of sparse term-weight vectors. Input order = relevance order.
 */
export function selectDiverse<T>(
  ranked: readonly T[],
  k: number,
  lambda: number,
  relevance: (item: T) => number,
  termWeights: (item: T) => Map<string, number>,
  pool = Math.max(3 * k, 20),
): T[] {
  const candidates = ranked.slice(0, pool);
  if (candidates.length <= 1 || lambda >= 1) return candidates.slice(0, k);
  const vectors = candidates.map((c) => normalise(termWeights(c)));
  const rel = candidates.map(relevance);
  const maxRel = Math.max(...rel) || 1;
  const picked: number[] = [];
  const maxSim = new Array<number>(candidates.length).fill(0);
  const remaining = new Set(candidates.map((_, i) => i));
  while (picked.length < k && remaining.size) {
    let best = -1;
    let bestScore = -Infinity;
    for (const i of remaining) {
      const s = lambda * (rel[i]! / maxRel) - (1 - lambda) * maxSim[i]!;
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    picked.push(best);
    remaining.delete(best);
    for (const i of remaining) maxSim[i] = Math.max(maxSim[i]!, cosine(vectors[best]!, vectors[i]!));
  }
  return picked.map((i) => candidates[i]!);
}

function normalise(v: Map<string, number>): Map<string, number> {
  let n = 0;
  for (const x of v.values()) n += x * x;
  n = Math.sqrt(n) || 1;
  const out = new Map<string, number>();
  for (const [t, x] of v) out.set(t, x / n);
  return out;
}

/** Cosine of two unit-normalised sparse vectors. */
export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, x] of small) s += x * (large.get(t) ?? 0);
  return s;
}
