/**
 * The Grafana provisioning of docker-compose.yml and every dashboard it loads, checked without
 * Grafana: the data source and dashboard provider files are well-formed; every panel queries the
 * provisioned data source by its uid; every target has PromQL that uses only defined template
 * variables and only metric names the learner exports (learner_* documented in docs/metrics.md,
 * process_* from prom-client's default metrics), as a classifier's and a regressor's registries list
 * them. That the queries return data is test/integration/grafana-dashboard.test.ts's job.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LearnerMetrics } from '../../src/metrics/index.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';
import { allPanels, dashboardFiles, loadDashboard, panelQueries, substitute, variableQuery } from '../helpers/grafana-dashboard.js';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

interface Datasource {
  readonly name: string;
  readonly uid: string;
  readonly type: string;
  readonly access: string;
  readonly url: string;
  readonly isDefault?: boolean;
}
const datasources = parse(read('grafana/provisioning/datasources/prometheus.yml')) as { apiVersion: number; datasources: Datasource[] };
const providers = parse(read('grafana/provisioning/dashboards/online-learner.yml')) as {
  apiVersion: number;
  providers: Array<{ name: string; type: string; options: { path: string } }>;
};
const BUILTINS = { rateInterval: '1m', interval: '15s', range: '1h' };

/** Every metric name the learner's registry exposes, for a classifier and a regressor (their quality gauges differ). */
async function exportedNames(): Promise<Set<string>> {
  const base: Omit<LearnerConfig, 'schema' | 'loss'> = {
    model: { type: 'linear' },
    optimizer: { type: 'adam', lr: 0.01 },
    batchSize: 1,
    maxWaitMs: Infinity,
    shuffleBuffer: 1,
    standardize: false,
    seed: 1,
  };
  const learners = [
    new Learner({ ...base, schema: { features: 2, task: 'multiclass', classes: ['a', 'b', 'c'] }, loss: { type: 'softmax_cross_entropy' } }),
    new Learner({ ...base, schema: { features: 2, task: 'regression' }, loss: { type: 'mse' } }),
  ];
  const names = new Set<string>();
  for (const learner of learners) {
    for (const metric of await new LearnerMetrics(learner).registry.getMetricsAsJSON()) {
      if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
      else names.add(metric.name);
    }
  }
  return names;
}

/**
 * Metric names in a PromQL expression: identifiers that are not inside a label matcher `{...}`, a
 * string, a range `[...]`, a grouping clause `by (...)`, and are neither a function call, a keyword
 * nor a number.
 */
function metricNames(promql: string): string[] {
  const stripped = promql
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const keywords = new Set(['and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan']);
  const names: string[] = [];
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const isCall = /^\s*\(/.test(stripped.slice(m.index + m[0].length));
    const isNumberPart = m.index > 0 && /[0-9.]/.test(stripped[m.index - 1]);
    if (!isCall && !isNumberPart && !keywords.has(m[0].toLowerCase())) names.push(m[0]);
  }
  return names;
}

function balanced(text: string): boolean {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (const ch of text.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0;
}

describe('Grafana provisioning', () => {
  it('provisions one default Prometheus data source at http://prometheus:9090 with a fixed uid', () => {
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources).toHaveLength(1);
    expect(datasources.datasources[0]).toMatchObject({ type: 'prometheus', access: 'proxy', url: 'http://prometheus:9090', isDefault: true });
    expect(datasources.datasources[0].uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
  });

  it('provisions the dashboards folder with a file provider', () => {
    expect(providers.apiVersion).toBe(1);
    expect(providers.providers).toHaveLength(1);
    expect(providers.providers[0]).toMatchObject({ type: 'file', options: { path: expect.stringMatching(/^\//) } });
  });
});

describe.each(dashboardFiles())('dashboard %s', (file) => {
  const dashboard = loadDashboard(file);
  const uid = datasources.datasources[0].uid;

  it('has a uid, a title, unique panel ids and panels inside the 24-column grid', () => {
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(dashboard.title.length).toBeGreaterThan(0);
    const panels = [...dashboard.panels, ...dashboard.panels.flatMap((p) => p.panels ?? [])];
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      const g = panel.gridPos;
      expect(g, panel.title).toBeDefined();
      expect(g!.x >= 0 && g!.w > 0 && g!.x + g!.w <= 24 && g!.h > 0, panel.title).toBe(true);
    }
  });

  it('queries the provisioned data source by its uid in every panel and target', () => {
    const panels = allPanels(dashboard);
    expect(panels.length).toBeGreaterThan(10);
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource ?? panel.datasource, `${panel.title} ${target.refId}`).toEqual({ type: 'prometheus', uid });
    }
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type === 'query') expect(variable.datasource, variable.name).toEqual({ type: 'prometheus', uid });
    }
  });

  it('gives every target a non-empty, balanced expression with unique refIds and only defined variables', () => {
    for (const panel of allPanels(dashboard)) {
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
      for (const target of panel.targets ?? []) {
        expect(target.expr?.trim().length, `${panel.title} ${target.refId}`).toBeGreaterThan(0);
        expect(balanced(target.expr ?? ''), target.expr).toBe(true);
        // Throws on a variable the dashboard does not define.
        expect(substitute(target.expr ?? '', dashboard, BUILTINS)).not.toContain('$');
      }
    }
  });

  it('uses only learner_* and process_* metrics that the learner exports and docs/metrics.md documents', async () => {
    const exported = await exportedNames();
    const documented = read('docs/metrics.md');
    const used = new Set<string>();
    const queries = [...panelQueries(dashboard).map((q) => q.target.expr ?? ''), ...(dashboard.templating?.list ?? []).map(variableQuery).filter((q): q is string => q !== null)];
    for (const expr of queries) {
      for (const name of metricNames(expr.replace(/^label_values\((.*),\s*\w+\)$/, '$1'))) {
        expect(name, expr).toMatch(/^(learner|process)_/);
        expect(exported.has(name), `${name} in ${expr} is not exported`).toBe(true);
        // A histogram's series are documented under the family name.
        const family = name.replace(/_(bucket|sum|count)$/, '');
        const documentedName = family !== name && exported.has(`${family}_bucket`) ? family : name;
        if (name.startsWith('learner_')) expect(documented, `${name} is not in docs/metrics.md`).toContain(`\`${documentedName}\``);
        used.add(name);
      }
    }
    // The list: loss, quality, throughput, rejects, effective learning rates, gradient norm, lag, step latency.
    for (const name of [
      'learner_loss_running',
      'learner_accuracy_window',
      'learner_rmse_window',
      'learner_samples_trained_total',
      'learner_samples_rejected_total',
      'learner_effective_learning_rate',
      'learner_effective_learning_rate_element',
      'learner_gradient_norm',
      'learner_consumer_lag',
      'learner_step_duration_seconds_bucket',
    ]) {
      expect(used, name).toContain(name);
    }
  });

  it('draws the per-element effective learning rates as a heatmap computed from the series, on a log scale', () => {
    const heatmaps = allPanels(dashboard).filter((p) => p.type === 'heatmap') as unknown as Array<{ targets: Array<{ expr: string }>; options: Record<string, any> }>;
    expect(heatmaps).toHaveLength(1);
    expect(heatmaps[0].targets[0].expr).toMatch(/^learner_effective_learning_rate_element\{/);
    expect(heatmaps[0].options.calculate).toBe(true);
    expect(heatmaps[0].options.calculation.yBuckets.scale.type).toBe('log');
  });
});
