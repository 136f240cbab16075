;; One Adam / AdamW / AMSGrad step over float32 arrays in linear memory, four lanes at a time (f32x4),
;; each operation rounded to float32 in the order of torch.optim.Adam's single-tensor path on a float32
;; tensor (https://github.com/pytorch/pytorch/blob/main/torch/optim/adam.py, the ATen CPU kernels of
;; lerp_, mul_, addcmul_, maximum, sqrt, div, add_ and addcdiv_); src/optim/adam.ts gives the formulas.
;;
;;   p' = p * decayFactor                            param.mul_(1 - lr * weightDecay)     (AdamW; else 1)
;;   d  = g + l2 * p'                                grad.add(param, alpha=weightDecay)   (Adam's L2; skipped when 0)
;;   m  = base + coeff * (d - m)                     exp_avg.lerp_(grad, weight): base = m, coeff = weight
;;                                                   when |weight| < 0.5, else base = d, coeff = weight - 1
;;   v  = v * beta2;  v = v + (oneMinusBeta2 * d) * d               exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2)
;;   s  = v, or vmax = max(vmax, v) with AMSGrad                     torch.maximum(max_exp_avg_sq, exp_avg_sq)
;;   p  = p' + (negStepSize * m) / (sqrt(s) / bc2Sqrt + eps)         param.addcdiv_(exp_avg, denom, value=-step_size)
;;
;; Scalars arrive already rounded to float32 (JS passes them as f32 parameters), as ATen casts a Python
;; scalar to the tensor's dtype. Wasm SIMD has no fused multiply-add, so no product is contracted.
;; The caller pads every array to a whole number of vectors; the padding lanes are computed and ignored.
(module
  (import "env" "memory" (memory 0))

  ;; Byte offsets $p $g $m $v are 16-byte aligned; $vmax is 0 without AMSGrad; $vectors counts groups of 4.
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $vmax i32) (param $vectors i32)
    (param $decayFactor f32) (param $l2 f32) (param $weight f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $negStepSize f32) (param $bc2Sqrt f32) (param $eps f32)
    (local $at i32) (local $end i32) (local $fromStart i32)
    (local $decay v128) (local $l2x v128) (local $coeff v128) (local $b2 v128) (local $c2 v128)
    (local $step v128) (local $bc2 v128) (local $epsx v128)
    (local $param v128) (local $d v128) (local $first v128) (local $second v128)

    ;; torch.lerp's two formulas (src/optim/lerp.ts): both are base + coeff * (end - start), which is exact
    ;; for the second one too, since (weight - 1) * x is -((1 - weight) * x) and adding a negation subtracts.
    (local.set $fromStart (f32.lt (f32.abs (local.get $weight)) (f32.const 0.5)))
    (local.set $coeff (f32x4.splat
      (select (local.get $weight) (f32.sub (local.get $weight) (f32.const 1)) (local.get $fromStart))))
    (local.set $decay (f32x4.splat (local.get $decayFactor)))
    (local.set $l2x (f32x4.splat (local.get $l2)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $c2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $step (f32x4.splat (local.get $negStepSize)))
    (local.set $bc2 (f32x4.splat (local.get $bc2Sqrt)))
    (local.set $epsx (f32x4.splat (local.get $eps)))
    (local.set $end (i32.shl (local.get $vectors) (i32.const 4)))

    (block $done
      (br_if $done (i32.eqz (local.get $vectors)))
      (loop $next
        ;; Order matters: AdamW shrinks p before the update reads it (times 1, exactly p, for Adam).
        (local.set $param (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $at))) (local.get $decay)))
        (local.set $d (v128.load (i32.add (local.get $g) (local.get $at))))
        ;; torch skips a zero weight decay; adding 0 * p would turn an infinite p into a NaN gradient.
        (if (f32.ne (local.get $l2) (f32.const 0))
          (then (local.set $d (f32x4.add (local.get $d) (f32x4.mul (local.get $l2x) (local.get $param))))))

        (local.set $first (v128.load (i32.add (local.get $m) (local.get $at))))
        (local.set $first (f32x4.add
          (select (local.get $first) (local.get $d) (local.get $fromStart))
          (f32x4.mul (local.get $coeff) (f32x4.sub (local.get $d) (local.get $first)))))
        (v128.store (i32.add (local.get $m) (local.get $at)) (local.get $first))

        (local.set $second (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (local.get $b2))
          (f32x4.mul (f32x4.mul (local.get $c2) (local.get $d)) (local.get $d))))
        (v128.store (i32.add (local.get $v) (local.get $at)) (local.get $second))

        ;; AMSGrad keeps the running maximum apart: the raw v above goes on averaging. f32x4.max returns
        ;; NaN when either lane is NaN, as torch.maximum does.
        (if (local.get $vmax)
          (then
            (local.set $second (f32x4.max
              (v128.load (i32.add (local.get $vmax) (local.get $at))) (local.get $second)))
            (v128.store (i32.add (local.get $vmax) (local.get $at)) (local.get $second))))

        (v128.store (i32.add (local.get $p) (local.get $at))
          (f32x4.add (local.get $param)
            (f32x4.div
              (f32x4.mul (local.get $step) (local.get $first))
              (f32x4.add (f32x4.div (f32x4.sqrt (local.get $second)) (local.get $bc2)) (local.get $epsx)))))

        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $at) (local.get $end))))))
)
