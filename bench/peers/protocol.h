/*
 * The bench's line protocol (bench/lib/contestants.mjs) for the C peers, as protocol.mjs and protocol.py
 * are for the JS and Python ones: after the peer has printed `@@bench {"ready":...}`, each stdin line
 * `run <steps>` calls run(steps, state) and prints `@@bench {"seconds":...,"cpuSeconds":...}`, both
 * clocks read around the work alone; `quit` (or the end of stdin) returns, and the peer prints its
 * checksum to stderr so that the compiler cannot drop the work.
 */
#ifndef BENCH_PROTOCOL_H
#define BENCH_PROTOCOL_H

#include <stdio.h>
#include <string.h>
#include <time.h>

static double clock_seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void serve_runs(void (*run)(long steps, void *state), void *state) {
  char line[256];
  while (fgets(line, sizeof line, stdin)) {
    long steps = 0;
    if (strncmp(line, "quit", 4) == 0) break;
    if (sscanf(line, "run %ld", &steps) != 1) continue;
    const double cpu0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    const double t0 = clock_seconds(CLOCK_MONOTONIC);
    run(steps, state);
    const double seconds = clock_seconds(CLOCK_MONOTONIC) - t0;
    const double cpu_seconds = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    printf("@@bench {\"seconds\":%.9f,\"cpuSeconds\":%.9f}\n", seconds, cpu_seconds);
    fflush(stdout);
  }
}

#endif
