/*
 * C peer of cases/adam-4m.mjs: one Adam step (torch.optim.Adam semantics, as src/optim/adam.ts) over n
 * float32 parameters with a fixed gradient, written as the plain loop a C programmer would write; the
 * harness compiles it with -O3, with and without -march=native, and lets the compiler vectorize it.
 *
 *   m = m + (1 - b1)(g - m);  v = b2 v + (1 - b2) g^2
 *   p = p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 *
 * Protocol (protocol.h): prints `@@bench {"ready":...}`, then `run <steps>` does that many steps; `quit`
 * prints a checksum to stderr (so the stores cannot be optimized away) and exits. Usage: adam <n>
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "protocol.h"

static void adam_step(long n, float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
                      double lr, double beta1, double beta2, double eps, long t) {
  const float step_size = (float)(lr / (1.0 - pow(beta1, (double)t)));
  const float bc2_sqrt = (float)sqrt(1.0 - pow(beta2, (double)t));
  const float one_minus_b1 = (float)(1.0 - beta1);
  const float b2 = (float)beta2;
  const float one_minus_b2 = (float)(1.0 - beta2);
  const float e = (float)eps;
  for (long i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] + one_minus_b1 * (gi - m[i]);
    const float vi = b2 * v[i] + one_minus_b2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i] - step_size * (mi / (sqrtf(vi) / bc2_sqrt + e));
  }
}

struct adam_run {
  long n, t;
  float *p, *g, *m, *v;
};

static void run_steps(long steps, void *state) {
  struct adam_run *a = state;
  for (long s = 0; s < steps; s++) adam_step(a->n, a->p, a->g, a->m, a->v, 1e-3, 0.9, 0.999, 1e-8, ++a->t);
}

/* xorshift64*: the values only need to be ordinary floats of realistic magnitude. */
static unsigned long long state = 0x9e3779b97f4a7c15ULL;
static double uniform(void) {
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return (double)((state * 0x2545f4914f6cdd1dULL) >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv) {
  const long n = argc > 1 ? atol(argv[1]) : 4L << 20;
  float *p = aligned_alloc(64, (size_t)n * sizeof(float));
  float *g = aligned_alloc(64, (size_t)n * sizeof(float));
  float *m = aligned_alloc(64, (size_t)n * sizeof(float));
  float *v = aligned_alloc(64, (size_t)n * sizeof(float));
  if (!p || !g || !m || !v) {
    printf("@@bench {\"skip\":\"out of memory for %ld parameters\"}\n", n);
    return 0;
  }
  for (long i = 0; i < n; i++) {
    p[i] = (float)(0.2 * uniform() - 0.1);
    g[i] = (float)(0.02 * uniform() - 0.01);
    m[i] = 0.0f;
    v[i] = 0.0f;
  }
  printf("@@bench {\"ready\":true,\"info\":{\"parameters\":%ld}}\n", n);
  fflush(stdout);
  struct adam_run run = {n, 0, p, g, m, v};
  serve_runs(run_steps, &run);
  double checksum = 0;
  for (long i = 0; i < n; i++) checksum += p[i];
  fprintf(stderr, "adam: checksum %.9g after %ld steps\n", checksum, run.t);
  return 0;
}
