/**
 * The three matrix products of a dense layer, plus its bias reduction, on row-major typed arrays.
 * With W stored (out, in) like torch.nn.Linear (https://pytorch.org/docs/stable/generated/torch.nn.Linear.html):
 *
 *   forward       Y[B,out] = X[B,in] · Wᵀ + b         gemmNT(B, out, in, X, W, b, Y)
 *   weight grad   dW[out,in] = dYᵀ · X                gemmTN(out, in, B, dY, X, dW)
 *   input grad    dX[B,in] = dY · W                   gemmNN(B, in, out, dY, W, dX)
 *   bias grad     db[out] = Σ_b dY[b,:]               columnSums(B, out, dY, db)
 *
 * Every output is preallocated by the caller and overwritten (BLAS beta = 0); only the leading
 * m·n elements are touched, so buffers sized for a larger batch can be reused. Nothing allocates.
 *
 * Loop orders keep the innermost loop on contiguous memory of both operands:
 * - A·Bᵀ is a dot product of two contiguous rows; four rows of A share each row of B so that B (the
 *   weight matrix, often larger than L1/L2) is streamed B/4 times instead of B times.
 * - A·B and Aᵀ·B are "i-k-j" (saxpy) loops: C[i,:] += A(i,p)·B[p,:], unrolled over p by four so each
 *   C element is loaded and stored once per four products.
 * Sums are accumulated in double precision (JS numbers) and rounded once on store.
 */
import type { Tensor } from './tensor.js';

/** C[m×n] = A[m×k] · B[n×k]ᵀ + bias[n] (broadcast over rows; null for none). */
export function gemmNT(m: number, n: number, k: number, a: Tensor, b: Tensor, bias: Tensor | null, c: Tensor): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    const c0 = i * n;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const w = b[bj + p];
        s0 += a[a0 + p] * w;
        s1 += a[a1 + p] * w;
        s2 += a[a2 + p] * w;
        s3 += a[a3 + p] * w;
      }
      const beta = bias === null ? 0 : bias[j];
      c[c0 + j] = s0 + beta;
      c[c0 + n + j] = s1 + beta;
      c[c0 + 2 * n + j] = s2 + beta;
      c[c0 + 3 * n + j] = s3 + beta;
    }
  }
  for (; i < m; i++) {
    const ai = i * k;
    const ci = i * n;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
      c[ci + j] = s + (bias === null ? 0 : bias[j]);
    }
  }
}

/** C[m×n] = A[m×k] · B[k×n]. */
export function gemmNN(m: number, n: number, k: number, a: Tensor, b: Tensor, c: Tensor): void {
  saxpyProduct(m, n, k, a, k, 1, b, c);
}

/** C[m×n] = A[k×m]ᵀ · B[k×n]. */
export function gemmTN(m: number, n: number, k: number, a: Tensor, b: Tensor, c: Tensor): void {
  saxpyProduct(m, n, k, a, 1, m, b, c);
}

/** out[j] = Σ_i A[i,j] for A[m×n]. */
export function columnSums(m: number, n: number, a: Tensor, out: Tensor): void {
  for (let j = 0; j < n; j++) out[j] = 0;
  // Row-major walk keeps reads contiguous; for float32 `out` this rounds per row, well inside 1e-6.
  for (let i = 0; i < m; i++) {
    const ai = i * n;
    for (let j = 0; j < n; j++) out[j] += a[ai + j];
  }
}

/**
 * C[i,:] = Σ_p A(i,p) · B[p,:] where A(i,p) = a[i*rowStride + p*colStride]: one kernel serves A
 * (rowStride k, colStride 1) and Aᵀ (rowStride 1, colStride m), since A is only read as scalars.
 */
function saxpyProduct(
  m: number,
  n: number,
  k: number,
  a: Tensor,
  rowStride: number,
  colStride: number,
  b: Tensor,
  c: Tensor,
): void {
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    const ai = i * rowStride;
    for (let j = 0; j < n; j++) c[ci + j] = 0;
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const x0 = a[ai + p * colStride];
      const x1 = a[ai + (p + 1) * colStride];
      const x2 = a[ai + (p + 2) * colStride];
      const x3 = a[ai + (p + 3) * colStride];
      const b0 = p * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        c[ci + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
      }
    }
    for (; p < k; p++) {
      const x = a[ai + p * colStride];
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
    }
  }
}
