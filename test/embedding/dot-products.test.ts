import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { createRowDotProducts } from '../../src/embedding/dot-products.js';
import { DOT_PRODUCTS_WASM } from '../../src/embedding/dot-products-wasm.js';
import { compileDotProductsWat } from '../../scripts/compile-dot-products.js';

/** A seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

describe('createRowDotProducts', () => {
  it('uses WebAssembly SIMD on this runtime when the width is a multiple of 4, JavaScript otherwise', () => {
    expect(createRowDotProducts(10, 100).kind).toBe('wasm-simd');
    expect(createRowDotProducts(10, 6).kind).toBe('js');
    expect(createRowDotProducts(10, 100, { js: true }).kind).toBe('js');
  });

  it('gives bit for bit the same products in WebAssembly as in JavaScript, for any slice of rows', () => {
    for (const [rows, dims, seed] of [[1000, 100, 1], [333, 4, 2], [257, 48, 3]] as const) {
      const next = random(seed);
      const [wasm, js] = [createRowDotProducts(rows, dims), createRowDotProducts(rows, dims, { js: true })];
      for (let i = 0; i < rows * dims; i++) wasm.matrix[i] = js.matrix[i] = next() * (i % 7 === 0 ? 1e3 : 1);
      for (let trial = 0; trial < 5; trial++) {
        const query = Float32Array.from({ length: dims }, () => next());
        const [from, to] = [trial * 17, rows - trial * 5];
        const [a, b] = [new Float32Array(rows).fill(-9), new Float32Array(rows).fill(-9)];
        wasm.compute(query, from, to, a);
        js.compute(query, from, to, b);
        expect(Array.from(a)).toEqual(Array.from(b));
        // Only the rows asked for are written; each is the dot product (f64 arithmetic, stored as f32).
        expect(a[from - 1] ?? -9).toBe(-9);
        expect(a[to] ?? -9).toBe(-9);
        for (const i of [from, Math.floor((from + to) / 2), to - 1]) {
          let exact = 0;
          for (let d = 0; d < dims; d++) exact += query[d]! * js.matrix[i * dims + d]!;
          expect(a[i]).toBeCloseTo(exact, 3);
        }
      }
    }
  });

  it('computes widths that are not a multiple of 4 in JavaScript, correctly', () => {
    const next = random(7);
    const js = createRowDotProducts(50, 7);
    for (let i = 0; i < 50 * 7; i++) js.matrix[i] = next();
    const query = Float32Array.from({ length: 7 }, () => next());
    const out = new Float32Array(50);
    js.compute(query, 0, 50, out);
    for (let i = 0; i < 50; i++) {
      let exact = 0;
      for (let d = 0; d < 7; d++) exact += query[d]! * js.matrix[i * 7 + d]!;
      expect(out[i]).toBeCloseTo(exact, 6);
    }
  });

  it('ships the compiled dot-products.wat (npm run build:dot-products keeps them in step)', async () => {
    const text = readFileSync(path.join(PROJECT_ROOT, 'src', 'embedding', 'dot-products.wat'), 'utf8');
    expect(Buffer.from(await compileDotProductsWat(text)).toString('base64')).toBe(DOT_PRODUCTS_WASM);
  });
});
