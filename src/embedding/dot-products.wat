;; Dot products of one query vector with rows of a row-major f32 matrix, two f64 lanes at a time
;; (WebAssembly SIMD). dots(q, m, dims, from, to, out): out[i] = q · m[i] for rows i in [from, to).
;; The f32 values are widened to f64, multiplied and summed in f64 per lane d mod 4 (s0 … s3), then
;; (s0 + s1) + (s2 + s3) is rounded to f32: exactly what dotProductsInJs in dot-products.ts computes.
;; Byte offsets; dims a multiple of 4. `npm run build:dot-products` compiles this into dot-products-wasm.ts.
(module
  (import "env" "memory" (memory 1))
  (func (export "dots") (param $q i32) (param $m i32) (param $dims i32) (param $from i32) (param $to i32) (param $out i32)
    (local $i i32) (local $row i32) (local $d i32) (local $bytes i32)
    (local $lo v128) (local $hi v128) (local $a v128) (local $b v128)
    (local.set $bytes (i32.shl (local.get $dims) (i32.const 2)))
    (local.set $i (local.get $from))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $to)))
        (local.set $row (i32.add (local.get $m) (i32.mul (local.get $i) (local.get $bytes))))
        (local.set $lo (v128.const f64x2 0 0))
        (local.set $hi (v128.const f64x2 0 0))
        (local.set $d (i32.const 0))
        (block $row_done
          (loop $cols
            (br_if $row_done (i32.ge_u (local.get $d) (local.get $bytes)))
            (local.set $a (v128.load (i32.add (local.get $q) (local.get $d))))
            (local.set $b (v128.load (i32.add (local.get $row) (local.get $d))))
            (local.set $lo
              (f64x2.add (local.get $lo)
                (f64x2.mul (f64x2.promote_low_f32x4 (local.get $a)) (f64x2.promote_low_f32x4 (local.get $b)))))
            (local.set $hi
              (f64x2.add (local.get $hi)
                (f64x2.mul
                  (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a)))
                  (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b) (local.get $b))))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $cols)))
        (f32.store
          (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (f32.demote_f64
            (f64.add
              (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo)))
              (f64.add (f64x2.extract_lane 0 (local.get $hi)) (f64x2.extract_lane 1 (local.get $hi))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))))
