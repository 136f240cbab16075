/*
 * The machine's float32 multiply-add ceiling on one core, measured: independent chains of 8-wide AVX2
 * fused multiply-adds (_mm256_fmadd_ps, 16 FLOP each) with no memory traffic. Zen 3 has two FMA pipes
 * with a latency of 4 cycles, so 2 x 4 = 8 chains in flight keep both pipes busy; 12 leave slack for
 * other CPUs' latencies. The peak is then 2 pipes x 8 lanes x 2 FLOP = 32 FLOP per cycle times the clock.
 *
 * Used once per run by cases/mlp-784.mjs (not a protocol peer): runs `seconds` (argv[1], default 0.3)
 * of FMAs, best of `trials` (argv[2], default 5) so a moment of contention on a shared machine does not
 * lower it, and prints {"gflops": ..., "trials": [...]} on stdout. Build: cc -O2 -mavx2 -mfma.
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHAINS 12
#define INNER 1000
/* Twelve named accumulators, not an array: GCC keeps an array's chains in memory (a load and a store
 * per FMA), which measures store forwarding instead of the FMA pipes. */
#define FMA12(op) op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11)
#define DECLARE(c) __m256 acc##c = _mm256_set1_ps((float)(c));
#define STEP(c) acc##c = _mm256_fmadd_ps(acc##c, a, b);
#define STORE(c) _mm256_storeu_ps(lanes + 8 * (c), acc##c);

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
  const double seconds = argc > 1 ? atof(argv[1]) : 0.3;
  const int trials = argc > 2 ? atoi(argv[2]) : 5;
  /* From argv so the compiler cannot fold the chains; with a just below 1 every chain converges to
   * b / (1 - a), finite and normal (denormals or overflow would not measure the pipes). */
  const __m256 a = _mm256_set1_ps(1.0f - 1e-7f * (float)argc);
  const __m256 b = _mm256_set1_ps(1e-7f);
  FMA12(DECLARE)
  double best = 0;
  printf("{\"trials\": [");
  for (int t = 0; t < trials; t++) {
    long rounds = 0;
    const double t0 = now();
    double elapsed;
    do {
      for (int r = 0; r < INNER; r++) {
        FMA12(STEP)
      }
      rounds += INNER;
      elapsed = now() - t0;
    } while (elapsed < seconds);
    const double gflops = (double)rounds * CHAINS * 16 / elapsed / 1e9;
    if (gflops > best) best = gflops;
    printf("%s%.2f", t > 0 ? ", " : "", gflops);
  }
  float lanes[8 * CHAINS];
  FMA12(STORE)
  float sum = 0;
  for (int l = 0; l < 8 * CHAINS; l++) sum += lanes[l];
  printf("], \"gflops\": %.2f, \"checksum\": %g}\n", best, (double)sum);
  return 0;
}
