/**
 * docker-compose.yml, the Dockerfile and prometheus/prometheus.yml, checked without a Docker engine:
 * this machine has the docker CLI but no engine and no compose plugin (`docker compose version`
 * fails), so the compose file is validated here by its structure and by the wiring between services:
 * names, ports, topics, mounts, and the learner's configuration resolved by the learner's own loader.
 * `promtool check config` (Debian package prometheus) validates the Prometheus configuration; when
 * the Docker Compose plugin is present, `docker compose config` validates the compose file too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveConfig } from '../../src/config/load.js';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

interface Service {
  readonly image?: string;
  readonly build?: string | { readonly context: string };
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly environment?: Readonly<Record<string, string | number>>;
  readonly ports?: readonly string[];
  readonly volumes?: readonly string[];
  readonly depends_on?: readonly string[] | Readonly<Record<string, { readonly condition: string }>>;
  readonly healthcheck?: { readonly test?: readonly string[]; readonly disable?: boolean };
}

const compose = parse(read('docker-compose.yml')) as { name: string; services: Record<string, Service> };
const { services } = compose;

/** `--flag value` of a command line. */
function flag(command: readonly string[] | undefined, name: string): string | undefined {
  const i = command?.indexOf(`--${name}`) ?? -1;
  return i < 0 ? undefined : command?.[i + 1];
}

/** The Dockerfile's ENV of the last stage (the image that runs). */
function imageEnv(): Record<string, string> {
  const lastStage = read('Dockerfile').split(/^FROM /m).at(-1) ?? '';
  const env: Record<string, string> = {};
  for (const m of lastStage.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)) {
    for (const pair of m[1].replace(/\\\n/g, ' ').trim().split(/\s+/)) {
      const [key, value] = pair.split('=');
      env[key] = value;
    }
  }
  return env;
}

function learnerConfig() {
  const env = { ...imageEnv(), ...Object.fromEntries(Object.entries(services.learner.environment ?? {}).map(([k, v]) => [k, String(v)])) };
  return resolveConfig({ env });
}

function dependencies(service: Service): Array<[string, string]> {
  const d = service.depends_on;
  if (d === undefined) return [];
  if (Array.isArray(d)) return d.map((name) => [name, 'service_started']);
  return Object.entries(d as Record<string, { condition: string }>).map(([name, v]) => [name, v.condition]);
}

describe('docker-compose.yml', () => {
  it('has Kafka, the topic creation, the learner, the replayer, Prometheus and Grafana, on pinned images', () => {
    expect(Object.keys(services).sort()).toEqual(['grafana', 'kafka', 'learner', 'prometheus', 'replayer', 'topics']);
    expect(services.kafka.image).toBe('apache/kafka:4.1.1');
    for (const [name, service] of Object.entries(services)) {
      expect(service.image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(service.image, name).not.toMatch(/:latest$/);
    }
    expect(services.learner.build).toBe('.');
    expect(services.replayer.build).toBe('.');
    expect(services.replayer.image).toBe(services.learner.image);
  });

  it('binds every published port to 127.0.0.1', () => {
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p] as const));
    expect(published.length).toBeGreaterThanOrEqual(4);
    for (const [name, port] of published) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('orders start-up through existing services, without cycles', () => {
    const conditions = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, condition] of dependencies(service)) {
        expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
        expect(conditions.has(condition), `${name} -> ${dep}: ${condition}`).toBe(true);
        if (condition === 'service_healthy') expect(services[dep].healthcheck?.test, `${dep} needs a health check`).toBeDefined();
      }
    }
    const visiting = new Set<string>();
    const visit = (name: string): void => {
      expect(visiting.has(name), `cycle through ${name}`).toBe(false);
      visiting.add(name);
      for (const [dep] of dependencies(services[name])) visit(dep);
      visiting.delete(name);
    };
    for (const name of Object.keys(services)) visit(name);
  });

  it('mounts files and folders that exist in the repository', () => {
    const mounts = Object.values(services).flatMap((s) => s.volumes ?? []);
    expect(mounts.length).toBeGreaterThan(0);
    for (const mount of mounts) {
      const [source, , mode] = mount.split(':');
      expect(source, mount).toMatch(/^\.\//);
      expect(existsSync(new URL(source, root)), mount).toBe(true);
      expect(mode, `${mount} is read-only`).toBe('ro');
    }
  });

  it('configures the learner with settings its own loader accepts: Kafka topic, schema, model, 0.0.0.0:9464', () => {
    const config = learnerConfig();
    expect(services.learner.command).toEqual(['train']);
    expect(config.source).toMatchObject({ type: 'kafka', brokers: ['kafka:19092'], topic: 'samples', fromBeginning: true });
    expect(config.schema).toMatchObject({ features: ['height_cm', 'weight_kg'], task: 'multiclass', classes: ['man', 'woman', 'child'] });
    expect(config.model).toMatchObject({ type: 'mlp', hidden: [100] });
    expect(config.server).toMatchObject({ enabled: true, host: '0.0.0.0', port: 9464 });
    expect(services.learner.ports).toEqual([`127.0.0.1:${config.server.port}:${config.server.port}`]);
  });

  it('wires Kafka: the brokers the learner and replayer use are the advertised internal listener, and all use one topic', () => {
    const env = services.kafka.environment ?? {};
    const advertised = String(env.KAFKA_ADVERTISED_LISTENERS).split(',');
    const internal = String(env.KAFKA_INTER_BROKER_LISTENER_NAME);
    const internalAddress = advertised.find((l) => l.startsWith(`${internal}://`))?.slice(internal.length + 3);
    expect(internalAddress).toBe('kafka:19092');
    const config = learnerConfig();
    expect(config.source.type === 'kafka' && config.source.brokers).toEqual([internalAddress]);
    expect(flag(services.replayer.command, 'brokers')).toBe(internalAddress);
    expect(flag(services.topics.command, 'bootstrap-server')).toBe(internalAddress);
    expect(services.kafka.healthcheck?.test?.join(' ')).toContain(`--bootstrap-server ${internalAddress}`);
    // The host listener is advertised at the address the host port is published on.
    expect(advertised).toContain(`HOST://${services.kafka.ports?.[0].split(':').slice(0, 2).join(':')}`);
    const topic = config.source.type === 'kafka' ? config.source.topic : '';
    expect(flag(services.topics.command, 'topic')).toBe(topic);
    expect(flag(services.replayer.command, 'topic')).toBe(topic);
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka:29093');
  });

  it('replays the recorded statsville stream at 200 records/s in a loop, without the image health check', () => {
    expect(services.replayer.command?.slice(0, 2)).toEqual(['replay', 'statsville']);
    expect(flag(services.replayer.command, 'rate')).toBe('200');
    expect(services.replayer.command).toContain('--loop');
    expect(services.replayer.healthcheck?.disable).toBe(true);
  });

  it('points Prometheus at the learner and Grafana at Prometheus, with the provisioning mounted where the provider reads', () => {
    expect(services.prometheus.volumes).toContain('./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    const prometheus = parse(read('prometheus/prometheus.yml')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    expect(targets).toEqual([`learner:${learnerConfig().server.port}`]);

    const datasources = parse(read('grafana/provisioning/datasources/prometheus.yml')) as { datasources: Array<{ url: string }> };
    const promPort = services.prometheus.ports?.[0].split(':')[2];
    expect(datasources.datasources.map((d) => d.url)).toEqual([`http://prometheus:${promPort}`]);
    const providers = parse(read('grafana/provisioning/dashboards/online-learner.yml')) as { providers: Array<{ options: { path: string } }> };
    const volumes = services.grafana.volumes ?? [];
    expect(volumes).toContain('./grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(volumes).toContain(`./grafana/dashboards:${providers.providers[0].options.path}:ro`);
    const home = String(services.grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH);
    expect(existsSync(new URL(home.replace(providers.providers[0].options.path, 'grafana/dashboards'), root))).toBe(true);
  });

  const composeCli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (composeCli.status !== 0) console.warn('[compose] `docker compose version` failed (no Compose plugin here): the compose file is checked structurally only');
  it.skipIf(composeCli.status !== 0)('is accepted by `docker compose config`', () => {
    const result = spawnSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '--quiet'], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const lastStage = text.split(/^FROM /m).at(-1) ?? '';

  it('builds on node:20-slim with npm ci and the package build, and runs as a non-root user', () => {
    expect(text.match(/^FROM .*/gm)).toEqual(['FROM node:20-slim AS build', 'FROM node:20-slim']);
    expect(text).toMatch(/^RUN npm ci --ignore-scripts/m);
    expect(text).toMatch(/^RUN npm run build$/m);
    expect(lastStage).toMatch(/^RUN npm ci --omit=dev/m);
    expect(lastStage).toMatch(/^USER node$/m);
    expect(lastStage).toMatch(/^COPY streams \.\/streams$/m);
  });

  it('exposes 9464 and checks health through /healthz on the configured port', () => {
    expect(lastStage).toMatch(/^EXPOSE 9464$/m);
    expect(imageEnv()).toMatchObject({ ONLINE_LEARNER_SERVER_HOST: '0.0.0.0', ONLINE_LEARNER_SERVER_PORT: '9464' });
    const healthcheck = /^HEALTHCHECK .*\\\n\s+CMD (.*)$/m.exec(lastStage);
    expect(healthcheck).not.toBeNull();
    const command = JSON.parse(healthcheck![1]) as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toContain('/healthz');
    expect(command[2]).toContain('process.env.ONLINE_LEARNER_SERVER_PORT');
    expect(lastStage).toMatch(/^ENTRYPOINT \["node", "dist\/cli\/main\.js"\]$/m);
  });

  it('leaves dependencies, build output and local data out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist', 'test-artifacts', 'streams/generated']));
    // What the image copies must not be ignored.
    for (const needed of ['src', 'streams', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) expect(ignored).not.toContain(needed);
  });
});

describe('prometheus/prometheus.yml', () => {
  const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (promtool.status !== 0) console.warn('[compose] promtool not found (Debian: apt-get install prometheus): config check skipped');
  it.skipIf(promtool.status !== 0)('passes `promtool check config`', () => {
    const result = spawnSync('promtool', ['check', 'config', 'prometheus/prometheus.yml'], { cwd: root, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
