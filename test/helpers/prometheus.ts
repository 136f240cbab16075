/**
 * A real Prometheus server for integration tests (the `prometheus` binary: PROMETHEUS_BIN, else on
 * PATH; Debian: apt-get install prometheus), on a free loopback port, scraping the given targets every
 * second, with a small client for its HTTP API. The same helpers test/integration/prometheus-scrape.test.ts
 * defines for itself, shared by the dashboard and load tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface PrometheusSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export interface PrometheusHandle {
  readonly url: string;
  /** An instant query; rejects when Prometheus refuses the expression. */
  query(promql: string): Promise<PrometheusSample[]>;
  /** Values of a label over the series matching `match` (what Grafana's label_values() asks). */
  labelValues(label: string, match: string): Promise<string[]>;
  stop(): Promise<void>;
  log(): string;
}

export function prometheusBinary(): { bin: string } | { reason: string } {
  const bin = process.env.PROMETHEUS_BIN ?? 'prometheus';
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return { reason: `'${bin} --version' failed (${probe.error?.message ?? probe.stderr.trim()}); install it (Debian: apt-get install prometheus) or set PROMETHEUS_BIN` };
  }
  return { bin };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `attempt` every 250 ms until it gives a value (undefined and throwing both mean "not yet"). */
export async function waitFor<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts Prometheus with its data in `dir`, scraping `targets` (host:port) as job `online-learner`. */
export async function startPrometheus(bin: string, dir: string, targets: readonly string[]): Promise<PrometheusHandle> {
  const port = await freePort();
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: online-learner',
      '    static_configs:',
      `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    bin,
    [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; error?: string; data: T };
    if (body.status !== 'success') throw new Error(`${path} failed: ${body.error}`);
    return body.data;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killed);
  };
  try {
    await waitFor(`Prometheus ready at ${url} (log: ${log})`, async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    query: async (promql) => (await api<{ result: PrometheusSample[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`)).result,
    labelValues: (label, match) => api<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values?match[]=${encodeURIComponent(match)}`),
    stop,
    log: () => log,
  };
}
