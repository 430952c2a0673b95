import { DOT_PRODUCTS_WASM } from './dot-products-wasm.js';

/** Dot products of query vectors with the rows of one fixed row-major matrix (e.g. unit word vectors). */
export interface RowDotProducts {
  /** The matrix, rows × dims: filled by the caller once, before the first `compute`. */
  readonly matrix: Float32Array;
  /** `out[i] = query · row i` for the rows `from` to `to` (exclusive). */
  compute(query: Float32Array, from: number, to: number, out: Float32Array): void;
  /** Which implementation answers: WebAssembly SIMD, or plain JavaScript (where that is not available). */
  readonly kind: 'wasm-simd' | 'js';
}

/** What this module uses of the runtime's WebAssembly (the project's TypeScript libraries do not declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
type WasmModule = object;

const PAGE_BYTES = 65_536;
let compiled: WasmModule | null | undefined;

/** The runtime's WebAssembly, if it has it. */
function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

/** The kernel's module, compiled once per process (null: this runtime has no WebAssembly or no SIMD). */
function dotProductsModule(): WasmModule | null {
  if (compiled === undefined) {
    const wasm = webAssembly();
    const bytes = Buffer.from(DOT_PRODUCTS_WASM, 'base64');
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

/**
 * Dot products over a `rows` × `dims` matrix: WebAssembly SIMD (dot-products.wat: two f64 lanes at a
 * time; measured by hand here at 50,000 × 100, about a third of the plain loop's time) when the runtime
 * has it and `dims` is a multiple of 4, else JavaScript. Both compute exactly the same values (see
 * dotProductsInJs), so results do not depend on which one ran.
 */
export function createRowDotProducts(rows: number, dims: number, options: { js?: boolean } = {}): RowDotProducts {
  const module = options.js || dims % 4 !== 0 ? null : dotProductsModule();
  if (!module) {
    const matrix = new Float32Array(rows * dims);
    return { kind: 'js', matrix, compute: (query, from, to, out) => dotProductsInJs(query, matrix, dims, from, to, out) };
  }
  // Memory: the query, the products, the matrix (byte offsets, 16-aligned).
  const queryAt = 0;
  const outAt = align16(dims * 4);
  const matrixAt = align16(outAt + rows * 4);
  const wasm = webAssembly()!;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil((matrixAt + rows * dims * 4) / PAGE_BYTES)) });
  const instance = new wasm.Instance(module, { env: { memory } });
  const dots = instance.exports.dots as (q: number, m: number, dims: number, from: number, to: number, out: number) => void;
  const query = new Float32Array(memory.buffer, queryAt, dims);
  const products = new Float32Array(memory.buffer, outAt, rows);
  const matrix = new Float32Array(memory.buffer, matrixAt, rows * dims);
  return {
    kind: 'wasm-simd',
    matrix,
    compute(vector, from, to, out) {
      query.set(vector.subarray(0, dims));
      dots(queryAt, matrixAt, dims, from, to, outAt);
      out.set(products.subarray(from, to), from);
    },
  };
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/**
 * The products in JavaScript, in the WebAssembly kernel's arithmetic: f64 products summed per lane
 * d mod 4, then (s0 + s1) + (s2 + s3), stored as f32.
 */
export function dotProductsInJs(query: Float32Array, matrix: Float32Array, dims: number, from: number, to: number, out: Float32Array): void {
  for (let i = from, base = from * dims; i < to; i++, base += dims) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let d = 0;
    for (; d + 3 < dims; d += 4) {
      s0 += query[d]! * matrix[base + d]!;
      s1 += query[d + 1]! * matrix[base + d + 1]!;
      s2 += query[d + 2]! * matrix[base + d + 2]!;
      s3 += query[d + 3]! * matrix[base + d + 3]!;
    }
    for (let lane = 0; d < dims; d++, lane++) {
      const p = query[d]! * matrix[base + d]!;
      if (lane === 0) s0 += p;
      else if (lane === 1) s1 += p;
      else s2 += p;
    }
    out[i] = s0 + s1 + (s2 + s3);
  }
}
