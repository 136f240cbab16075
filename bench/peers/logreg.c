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
 * Protocol (protocol.h): prints `@@bench {"ready":...}`, then `run <steps>` does that many steps,
 * cycling over the records; `quit` prints the weights' checksum to stderr (so the work cannot be
 * optimized away) and exits. Usage: logreg <data file> <samples> <features> <batch> <lr> (the file:
 * float32 x [samples x features], then int32 y [samples], as bench/lib/large.mjs writes it).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "protocol.h"

#define WINDOW 1000

struct logreg {
  long samples, batches, k, refused;
  int features, batch, slot;
  float lr, b, gb;
  const float *data_x;
  const int *data_y;
  float *w, *gw, *x, *z, *g;
  double *row_loss;
  double hits[WINDOW], losses[WINDOW];
  double hit_sum, loss_sum, correct, log_loss, log_loss_cap;
};

static void run_steps(long steps, void *state) {
  struct logreg *s = state;
  const int features = s->features, batch = s->batch;
  float *restrict w = s->w, *restrict gw = s->gw, *restrict x = s->x, *restrict z = s->z, *restrict g = s->g;
  double *restrict row_loss = s->row_loss;
  for (long step = 0; step < steps; step++) {
    const long first = s->k * batch;
    const int *y = s->data_y + first;
    memcpy(x, s->data_x + first * features, (size_t)batch * features * sizeof(float));
    for (int r = 0; r < batch; r++) {
      double sum = 0;
      for (int p = 0; p < features; p++) sum += (double)x[r * features + p] * (double)w[p];
      z[r] = (float)(sum + s->b);
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
    s->gb = (float)sb;
    double squares = (double)s->gb * s->gb;
    for (int p = 0; p < features; p++) squares += (double)gw[p] * gw[p];
    if (!isfinite(sqrt(squares))) {
      s->refused++;
    } else {
      for (int r = 0; r < batch; r++) {
        const double hit = ((z[r] >= 0) == (y[r] == 1)) ? 1 : 0;
        const double l = fmin(fmax(row_loss[r], 0), s->log_loss_cap);
        s->correct += hit;
        s->log_loss += l;
        s->hit_sum += hit - s->hits[s->slot];
        s->loss_sum += l - s->losses[s->slot];
        s->hits[s->slot] = hit;
        s->losses[s->slot] = l;
        s->slot = s->slot + 1 == WINDOW ? 0 : s->slot + 1;
      }
      for (int p = 0; p < features; p++) w[p] = w[p] - s->lr * gw[p];
      s->b = s->b - s->lr * s->gb;
    }
    s->k = s->k + 1 == s->batches ? 0 : s->k + 1;
  }
}

int main(int argc, char **argv) {
  if (argc < 6) {
    printf("@@bench {\"skip\":\"usage: logreg <data> <samples> <features> <batch> <lr>\"}\n");
    return 0;
  }
  static struct logreg s;
  s.samples = atol(argv[2]);
  s.features = atoi(argv[3]);
  s.batch = atoi(argv[4]);
  s.lr = (float)atof(argv[5]);
  s.batches = s.samples / s.batch;
  s.log_loss_cap = -log(1e-15);
  const size_t values = (size_t)s.samples * s.features;
  float *data_x = malloc(values * sizeof(float));
  int *data_y = malloc((size_t)s.samples * sizeof(int));
  FILE *file = fopen(argv[1], "rb");
  if (!file || !data_x || !data_y || fread(data_x, sizeof(float), values, file) != values ||
      fread(data_y, sizeof(int), (size_t)s.samples, file) != (size_t)s.samples) {
    printf("@@bench {\"skip\":\"cannot read %ld records of %d features from %s\"}\n", s.samples, s.features, argv[1]);
    return 0;
  }
  fclose(file);
  s.data_x = data_x;
  s.data_y = data_y;
  s.w = calloc((size_t)s.features, sizeof(float));
  s.gw = calloc((size_t)s.features, sizeof(float));
  s.x = malloc((size_t)s.batch * s.features * sizeof(float));
  s.z = malloc((size_t)s.batch * sizeof(float));
  s.g = malloc((size_t)s.batch * sizeof(float));
  s.row_loss = malloc((size_t)s.batch * sizeof(double));
  printf("@@bench {\"ready\":true,\"info\":{\"parameters\":%d}}\n", s.features + 1);
  fflush(stdout);
  serve_runs(run_steps, &s);
  double checksum = s.b;
  for (int p = 0; p < s.features; p++) checksum += s.w[p];
  fprintf(stderr, "logreg: checksum %.9g, window accuracy %.4f, log-loss %.4f, %ld refused\n", checksum, s.hit_sum / WINDOW,
          s.loss_sum / WINDOW, s.refused);
  return 0;
}
