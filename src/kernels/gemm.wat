;; The dense-layer products of src/math/gemm.ts, C[i,j] = Σ_p A(i,p)·B(p,j) + bias[j], in 4×4 tiles of C:
;; each row of a tile is two f64x2 accumulators (columns j, j+1 and j+2, j+3), held for the whole reduction.
;; Bit-identical to the JS kernel, by construction: each lane is one output element, summed in double
;; precision from +0 over p in increasing order (float32 inputs are promoted exactly, and a product of
;; two promoted float32 values is exact in double), the bias added after the sum, and the result
;; rounded once on store (f32.demote is round-to-nearest-even, as a Float32Array store). Wasm SIMD has
;; no fused multiply-add, so nothing is contracted; f32x4 lanes would be twice as wide but would round
;; every partial sum to float32.
;;
;; The operands are first packed (src/kernels/gemm.ts copies them in): A into strips of 4 rows,
;; strip s holding A(4s + r, p) at [(s·k + p)·4 + r], B into panels of 4 columns the same way (as rows
;; of Bᵀ), as f64 and zero-padded to whole strips and panels. Every load of the inner loop is then
;; contiguous, whatever the strides of the original layout (X·Wᵀ, dYᵀ·X and dY·W alike).
(module
  (import "env" "memory" (memory 0))

  ;; Packs rows×k elements src(r, p) = src[r·rowStride + p·colStride] (element strides) into strips of 4
  ;; rows at $dst, as above; rows from $rows up to the next multiple of 4 are zero. F32 and F64 differ
  ;; only in the load. For float32 the whole strips of the two layouts that occur (p contiguous: X and W
  ;; in X·Wᵀ; rows contiguous: dY and X in dYᵀ·X) take vector paths first, and the loop over single
  ;; rows does the rest.
  (func (export "packF32")
    (param $src i32) (param $rowStride i32) (param $colStride i32) (param $rows i32) (param $k i32) (param $dst i32)
    (local $row i32) (local $at i32) (local $out i32) (local $end i32) (local $step i32) (local $padded i32)
    (local.set $padded (i32.and (i32.add (local.get $rows) (i32.const 3)) (i32.const -4)))
    (local.set $step (i32.shl (local.get $colStride) (i32.const 2)))
    (local.set $row (i32.and (local.get $rows) (i32.const -4)))
    (if (i32.eq (local.get $colStride) (i32.const 1))
      (then (call $packStripsAlongP (local.get $src) (local.get $rowStride) (local.get $row) (local.get $k) (local.get $dst)))
      (else (if (i32.eq (local.get $rowStride) (i32.const 1))
        (then (call $packStripsAcrossRows (local.get $src) (local.get $colStride) (local.get $row) (local.get $k) (local.get $dst)))
        (else (local.set $row (i32.const 0))))))
    (block $done (loop $rowLoop
      (br_if $done (i32.ge_u (local.get $row) (local.get $padded)))
      ;; Strip row/4 starts at (row/4)·k·4 elements; lane row%4 within it; p advances by 4 elements.
      (local.set $out (i32.add (local.get $dst) (i32.shl
        (i32.add (i32.mul (i32.and (local.get $row) (i32.const -4)) (local.get $k)) (i32.and (local.get $row) (i32.const 3)))
        (i32.const 3))))
      (local.set $end (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 5))))
      (if (i32.lt_u (local.get $row) (local.get $rows))
        (then
          (local.set $at (i32.add (local.get $src) (i32.shl (i32.mul (local.get $row) (local.get $rowStride)) (i32.const 2))))
          (block $e (loop $l
            (br_if $e (i32.ge_u (local.get $out) (local.get $end)))
            (f64.store (local.get $out) (f64.promote_f32 (f32.load (local.get $at))))
            (local.set $at (i32.add (local.get $at) (local.get $step)))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (br $l))))
        (else
          (block $e (loop $l
            (br_if $e (i32.ge_u (local.get $out) (local.get $end)))
            (f64.store (local.get $out) (f64.const 0))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (br $l)))))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rowLoop))))

  ;; Whole strips (the first $fullRows rows, a multiple of 4) of a float32 source whose p is contiguous
  ;; (colStride 1): two p at a time, a 4×2 block is loaded as one pair per row and transposed into
  ;; [p](r0 r1)(r2 r3), [p+1](r0 r1)(r2 r3); an odd last p goes one row at a time.
  (func $packStripsAlongP (param $src i32) (param $rowStride i32) (param $fullRows i32) (param $k i32) (param $dst i32)
    (local $row i32) (local $r0 i32) (local $rowBytes i32) (local $p i32) (local $out i32) (local $pairs i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $rowBytes (i32.shl (local.get $rowStride) (i32.const 2)))
    (local.set $pairs (i32.and (local.get $k) (i32.const -2)))
    (local.set $out (local.get $dst))
    (local.set $row (i32.const 0))
    (block $done (loop $strip
      (br_if $done (i32.ge_u (local.get $row) (local.get $fullRows)))
      (local.set $r0 (i32.add (local.get $src) (i32.mul (local.get $row) (local.get $rowBytes))))
      (local.set $p (i32.const 0))
      (block $pairsDone (loop $pair
        (br_if $pairsDone (i32.ge_u (local.get $p) (local.get $pairs)))
        (local.set $v0 (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $r0))))
        (local.set $v1 (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $r0) (local.get $rowBytes)))))
        (local.set $v2 (f64x2.promote_low_f32x4 (v128.load64_zero
          (i32.add (local.get $r0) (i32.shl (local.get $rowBytes) (i32.const 1))))))
        (local.set $v3 (f64x2.promote_low_f32x4 (v128.load64_zero
          (i32.add (local.get $r0) (i32.mul (local.get $rowBytes) (i32.const 3))))))
        (v128.store (local.get $out) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (v128.store offset=16 (local.get $out) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v2) (local.get $v3)))
        (v128.store offset=32 (local.get $out) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        (v128.store offset=48 (local.get $out) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v2) (local.get $v3)))
        (local.set $r0 (i32.add (local.get $r0) (i32.const 8)))
        (local.set $out (i32.add (local.get $out) (i32.const 64)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $pair)))
      (if (i32.and (local.get $k) (i32.const 1))
        (then
          (f64.store (local.get $out) (f64.promote_f32 (f32.load (local.get $r0))))
          (f64.store offset=8 (local.get $out) (f64.promote_f32 (f32.load (i32.add (local.get $r0) (local.get $rowBytes)))))
          (f64.store offset=16 (local.get $out) (f64.promote_f32 (f32.load
            (i32.add (local.get $r0) (i32.shl (local.get $rowBytes) (i32.const 1))))))
          (f64.store offset=24 (local.get $out) (f64.promote_f32 (f32.load
            (i32.add (local.get $r0) (i32.mul (local.get $rowBytes) (i32.const 3))))))
          (local.set $out (i32.add (local.get $out) (i32.const 32)))))
      (local.set $row (i32.add (local.get $row) (i32.const 4)))
      (br $strip))))

  ;; Whole strips of a float32 source whose rows are contiguous (rowStride 1): the four rows of a strip
  ;; at one p are four adjacent floats, already in packed order.
  (func $packStripsAcrossRows (param $src i32) (param $colStride i32) (param $fullRows i32) (param $k i32) (param $dst i32)
    (local $row i32) (local $at i32) (local $step i32) (local $out i32) (local $end i32) (local $v v128)
    (local.set $step (i32.shl (local.get $colStride) (i32.const 2)))
    (local.set $out (local.get $dst))
    (local.set $row (i32.const 0))
    (block $done (loop $strip
      (br_if $done (i32.ge_u (local.get $row) (local.get $fullRows)))
      (local.set $at (i32.add (local.get $src) (i32.shl (local.get $row) (i32.const 2))))
      (local.set $end (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 5))))
      (block $stripDone (loop $l
        (br_if $stripDone (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $v (v128.load (local.get $at)))
        (v128.store (local.get $out) (f64x2.promote_low_f32x4 (local.get $v)))
        (v128.store offset=16 (local.get $out) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $at (i32.add (local.get $at) (local.get $step)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (br $l)))
      (local.set $row (i32.add (local.get $row) (i32.const 4)))
      (br $strip))))

  (func (export "packF64")
    (param $src i32) (param $rowStride i32) (param $colStride i32) (param $rows i32) (param $k i32) (param $dst i32)
    (local $row i32) (local $at i32) (local $out i32) (local $end i32) (local $step i32) (local $padded i32)
    (local.set $padded (i32.and (i32.add (local.get $rows) (i32.const 3)) (i32.const -4)))
    (local.set $step (i32.shl (local.get $colStride) (i32.const 3)))
    (local.set $row (i32.const 0))
    (block $done (loop $rowLoop
      (br_if $done (i32.ge_u (local.get $row) (local.get $padded)))
      (local.set $out (i32.add (local.get $dst) (i32.shl
        (i32.add (i32.mul (i32.and (local.get $row) (i32.const -4)) (local.get $k)) (i32.and (local.get $row) (i32.const 3)))
        (i32.const 3))))
      (local.set $end (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 5))))
      (if (i32.lt_u (local.get $row) (local.get $rows))
        (then
          (local.set $at (i32.add (local.get $src) (i32.shl (i32.mul (local.get $row) (local.get $rowStride)) (i32.const 3))))
          (block $e (loop $l
            (br_if $e (i32.ge_u (local.get $out) (local.get $end)))
            (f64.store (local.get $out) (f64.load (local.get $at)))
            (local.set $at (i32.add (local.get $at) (local.get $step)))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (br $l))))
        (else
          (block $e (loop $l
            (br_if $e (i32.ge_u (local.get $out) (local.get $end)))
            (f64.store (local.get $out) (f64.const 0))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (br $l)))))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rowLoop))))

  ;; One row of a tile, columns j..j+3 in $lo (j, j+1) and $hi (j+2, j+3), to C's row at $out: all four
  ;; columns, or the first $cols at the right edge. $f32 selects the output dtype.
  (func $storeRow (param $out i32) (param $lo v128) (param $hi v128) (param $cols i32) (param $f32 i32)
    (if (local.get $f32)
      (then
        (if (i32.eq (local.get $cols) (i32.const 4))
          (then
            (v128.store (local.get $out) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))
            (return)))
        (f32.store (local.get $out) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $lo))))
        (if (i32.gt_u (local.get $cols) (i32.const 1))
          (then (f32.store offset=4 (local.get $out) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $lo))))))
        (if (i32.gt_u (local.get $cols) (i32.const 2))
          (then (f32.store offset=8 (local.get $out) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $hi)))))))
      (else
        (if (i32.eq (local.get $cols) (i32.const 4))
          (then
            (v128.store (local.get $out) (local.get $lo))
            (v128.store offset=16 (local.get $out) (local.get $hi))
            (return)))
        (f64.store (local.get $out) (f64x2.extract_lane 0 (local.get $lo)))
        (if (i32.gt_u (local.get $cols) (i32.const 1))
          (then (f64.store offset=8 (local.get $out) (f64x2.extract_lane 1 (local.get $lo)))))
        (if (i32.gt_u (local.get $cols) (i32.const 2))
          (then (f64.store offset=16 (local.get $out) (f64x2.extract_lane 0 (local.get $hi))))))))

  ;; C[m×n] (row-major at $c, float32 if $f32 else float64) from packed $pa (m rows) and $pb (n columns),
  ;; plus $bias (n f64 values, zero-padded to whole panels; zeros for none: JS adds 0 too).
  ;; Panels of B outermost: one panel (k·32 bytes, 25 KB at k = 784) stays in L1 while every strip of
  ;; A streams past it from L2.
  (func (export "product")
    (param $pa i32) (param $pb i32) (param $m i32) (param $n i32) (param $k i32) (param $bias i32) (param $c i32) (param $f32 i32)
    (local $j i32) (local $i i32) (local $panel i32) (local $ap i32) (local $bp i32) (local $end i32)
    (local $cols i32) (local $rows i32) (local $out i32) (local $rowBytes i32) (local $panelBytes i32)
    (local $b01 v128) (local $b23 v128) (local $x v128) (local $bias01 v128) (local $bias23 v128)
    (local $c00 v128) (local $c02 v128) (local $c10 v128) (local $c12 v128)
    (local $c20 v128) (local $c22 v128) (local $c30 v128) (local $c32 v128)
    (local.set $rowBytes (i32.shl (local.get $n) (select (i32.const 2) (i32.const 3) (local.get $f32))))
    (local.set $panelBytes (i32.shl (local.get $k) (i32.const 5)))
    (local.set $panel (local.get $pb))
    (local.set $j (i32.const 0))
    (block $jDone (loop $jLoop
      (br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $cols (i32.sub (local.get $n) (local.get $j)))
      (if (i32.gt_u (local.get $cols) (i32.const 4)) (then (local.set $cols (i32.const 4))))
      (local.set $bias01 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $bias23 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $ap (local.get $pa))
      (local.set $i (i32.const 0))
      (block $iDone (loop $iLoop
        (br_if $iDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $bp (local.get $panel))
        (local.set $end (i32.add (local.get $panel) (local.get $panelBytes)))
        (local.set $c00 (v128.const i64x2 0 0)) (local.set $c02 (v128.const i64x2 0 0))
        (local.set $c10 (v128.const i64x2 0 0)) (local.set $c12 (v128.const i64x2 0 0))
        (local.set $c20 (v128.const i64x2 0 0)) (local.set $c22 (v128.const i64x2 0 0))
        (local.set $c30 (v128.const i64x2 0 0)) (local.set $c32 (v128.const i64x2 0 0))
        (block $pDone (loop $pLoop
          (br_if $pDone (i32.ge_u (local.get $bp) (local.get $end)))
          (local.set $b01 (v128.load (local.get $bp)))
          (local.set $b23 (v128.load offset=16 (local.get $bp)))
          (local.set $x (v128.load64_splat (local.get $ap)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b01))))
          (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $x) (local.get $b23))))
          (local.set $x (v128.load64_splat offset=8 (local.get $ap)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b01))))
          (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $x) (local.get $b23))))
          (local.set $x (v128.load64_splat offset=16 (local.get $ap)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b01))))
          (local.set $c22 (f64x2.add (local.get $c22) (f64x2.mul (local.get $x) (local.get $b23))))
          (local.set $x (v128.load64_splat offset=24 (local.get $ap)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b01))))
          (local.set $c32 (f64x2.add (local.get $c32) (f64x2.mul (local.get $x) (local.get $b23))))
          (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
          (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
          (br $pLoop)))
        (local.set $rows (i32.sub (local.get $m) (local.get $i)))
        (local.set $out (i32.add (local.get $c) (i32.add
          (i32.mul (local.get $i) (local.get $rowBytes))
          (i32.shl (local.get $j) (select (i32.const 2) (i32.const 3) (local.get $f32))))))
        ;; The bias after the whole sum, as the JS kernel adds it.
        (local.set $c00 (f64x2.add (local.get $c00) (local.get $bias01))) (local.set $c02 (f64x2.add (local.get $c02) (local.get $bias23)))
        (local.set $c10 (f64x2.add (local.get $c10) (local.get $bias01))) (local.set $c12 (f64x2.add (local.get $c12) (local.get $bias23)))
        (local.set $c20 (f64x2.add (local.get $c20) (local.get $bias01))) (local.set $c22 (f64x2.add (local.get $c22) (local.get $bias23)))
        (local.set $c30 (f64x2.add (local.get $c30) (local.get $bias01))) (local.set $c32 (f64x2.add (local.get $c32) (local.get $bias23)))
        ;; Whole float32 tiles are stored inline: at k = 64 (the weight gradient) a call per row costs
        ;; a few percent of the product. Edge tiles and float64 go row by row through $storeRow.
        (if (i32.and (local.get $f32) (i32.and (i32.eq (local.get $cols) (i32.const 4)) (i32.ge_u (local.get $rows) (i32.const 4))))
          (then
            (v128.store (local.get $out) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (local.get $c00)) (f32x4.demote_f64x2_zero (local.get $c02))))
            (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
            (v128.store (local.get $out) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (local.get $c10)) (f32x4.demote_f64x2_zero (local.get $c12))))
            (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
            (v128.store (local.get $out) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (local.get $c20)) (f32x4.demote_f64x2_zero (local.get $c22))))
            (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
            (v128.store (local.get $out) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (local.get $c30)) (f32x4.demote_f64x2_zero (local.get $c32)))))
          (else
            (call $storeRow (local.get $out) (local.get $c00) (local.get $c02) (local.get $cols) (local.get $f32))
            (if (i32.gt_u (local.get $rows) (i32.const 1)) (then
              (call $storeRow (i32.add (local.get $out) (local.get $rowBytes))
                (local.get $c10) (local.get $c12) (local.get $cols) (local.get $f32))))
            (if (i32.gt_u (local.get $rows) (i32.const 2)) (then
              (call $storeRow (i32.add (local.get $out) (i32.shl (local.get $rowBytes) (i32.const 1)))
                (local.get $c20) (local.get $c22) (local.get $cols) (local.get $f32))))
            (if (i32.gt_u (local.get $rows) (i32.const 3)) (then
              (call $storeRow (i32.add (local.get $out) (i32.mul (local.get $rowBytes) (i32.const 3)))
                (local.get $c30) (local.get $c32) (local.get $cols) (local.get $f32))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iLoop)))
      (local.set $panel (i32.add (local.get $panel) (local.get $panelBytes)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $jLoop))))
)
