import wabt from 'wabt';

/** The WebAssembly bytes of the dot-products kernel's text (SIMD enabled). */
export async function compileDotProductsWat(text: string): Promise<Uint8Array> {
  const tools = await wabt();
  const parsed = tools.parseWat('dot-products.wat', text, { simd: true });
  try {
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}
