/*
 * C reference row of cases/logreg-large.mjs: the step of lib/logreg-floor.mjs (what a Trainer step does
 * for logistic regression with plain SGD at float32) written as the C loop a C programmer would write,
 * on the same records. It says where the hardware is for this case: how far plain JavaScript (js-floor)
 * and ours are from compiled code, and how far River is from both. Per batch of B rows:
 *
 *   copy the rows;  z_r = x_r . w + b (float64 sums in feature order, stored as float32)
 *   l_r = (1 - y_r) z_r - logSigmoid(z_r);  g_r = (sigmoid(z_r) - y_r) / B   (one exp(-|z|) for both)
 *   gw = sum_r g_r x_r;  gb = sum_r g_r;  refuse the step if the gradient norm is not finite
 *   accuracy and clipped log-loss over a 1,000-sample window;  w -= lr gw;  b -= lr gb
 *
 * Protocol (bench/lib/contestants.mjs): prints `@@bench {"ready":...}`, then for each stdin line
 * `run <steps>` does that many steps (cycling over the records) and prints
 * `@@bench {"seconds":...,"cpuSeconds":...}`; `quit` prints the weights' checksum to stderr (so the
 * work cannot be optimized away) and exits. Usage: logreg <data file> <samples> <features> <batch> <lr>
 * (the file: float32 x [samples x features], then int32 y [samples], as bench/lib/large.mjs writes it).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WINDOW 1000

static double clock_seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 6) {
    printf("@@bench {\"skip\":\"usage: logreg <data> <samples> <features> <batch> <lr>\"}\n");
    return 0;
  }
  const long samples = atol(argv[2]);
  const int features = atoi(argv[3]);
  const int batch = atoi(argv[4]);
  const float lr = (float)atof(argv[5]);
  float *data_x = malloc((size_t)samples * features * sizeof(float));
  int *data_y = malloc((size_t)samples * sizeof(int));
  FILE *file = fopen(argv[1], "rb");
  if (!file || !data_x || !data_y || fread(data_x, sizeof(float), (size_t)samples * features, file) != (size_t)samples * features ||
      fread(data_y, sizeof(int), (size_t)samples, file) != (size_t)samples) {
    printf("@@bench {\"skip\":\"cannot read %ld records of %d features from %s\"}\n", samples, features, argv[1]);
    return 0;
  }
  fclose(file);
  float *w = calloc((size_t)features, sizeof(float));
  float *gw = calloc((size_t)features, sizeof(float));
  float *x = malloc((size_t)batch * features * sizeof(float));
  float *z = malloc((size_t)batch * sizeof(float));
  float *g = malloc((size_t)batch * sizeof(float));
  double *row_loss = malloc((size_t)batch * sizeof(double));
  static double hits[WINDOW], losses[WINDOW];
  double hit_sum = 0, loss_sum = 0, correct = 0, log_loss = 0;
  const double log_loss_cap = -log(1e-15);
  float b = 0, gb = 0;
  int slot = 0;
  const long batches = samples / batch;
  long k = 0, refused = 0;
  printf("@@bench {\"ready\":true,\"info\":{\"parameters\":%d}}\n", features + 1);
  fflush(stdout);
  char line[256];
  while (fgets(line, sizeof line, stdin)) {
    long steps = 0;
    if (strncmp(line, "quit", 4) == 0) break;
    if (sscanf(line, "run %ld", &steps) != 1) continue;
    const double cpu0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    const double t0 = clock_seconds(CLOCK_MONOTONIC);
    for (long s = 0; s < steps; s++) {
      const long first = k * batch;
      const int *y = data_y + first;
      memcpy(x, data_x + first * features, (size_t)batch * features * sizeof(float));
      for (int r = 0; r < batch; r++) {
        double sum = 0;
        for (int p = 0; p < features; p++) sum += (double)x[r * features + p] * (double)w[p];
        z[r] = (float)(sum + b);
        const double zr = z[r];
        const double e = exp(-fabs(zr));
        row_loss[r] = (1 - y[r]) * zr - (fmin(zr, 0) - log1p(e));
        g[r] = (float)(((zr >= 0 ? 1 / (1 + e) : e / (1 + e)) - y[r]) / batch);
      }
      for (int p = 0; p < features; p++) {
        double sum = 0;
        for (int r = 0; r < batch; r++) sum += (double)g[r] * (double)x[r * features + p];
        gw[p] = (float)sum;
      }
      double sb = 0;
      for (int r = 0; r < batch; r++) sb += g[r];
      gb = (float)sb;
      double squares = (double)gb * gb;
      for (int p = 0; p < features; p++) squares += (double)gw[p] * gw[p];
      if (!isfinite(sqrt(squares))) {
        refused++;
      } else {
        for (int r = 0; r < batch; r++) {
          const double hit = ((z[r] >= 0) == (y[r] == 1)) ? 1 : 0;
          const double l = fmin(fmax(row_loss[r], 0), log_loss_cap);
          correct += hit;
          log_loss += l;
          hit_sum += hit - hits[slot];
          loss_sum += l - losses[slot];
          hits[slot] = hit;
          losses[slot] = l;
          slot = slot + 1 == WINDOW ? 0 : slot + 1;
        }
        for (int p = 0; p < features; p++) w[p] = w[p] - lr * gw[p];
        b = b - lr * gb;
      }
      k = k + 1 == batches ? 0 : k + 1;
    }
    const double seconds = clock_seconds(CLOCK_MONOTONIC) - t0;
    const double cpu_seconds = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    printf("@@bench {\"seconds\":%.9f,\"cpuSeconds\":%.9f}\n", seconds, cpu_seconds);
    fflush(stdout);
  }
  double checksum = b;
  for (int p = 0; p < features; p++) checksum += w[p];
  fprintf(stderr, "logreg: checksum %.9g, window accuracy %.4f, log-loss %.4f, %ld refused\n", checksum, hit_sum / WINDOW,
          loss_sum / WINDOW, refused);
  return 0;
}
