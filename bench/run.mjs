#!/usr/bin/env node
/**
 * Benchmarks of online-learner's numerics core against its peers, measured side by side in one run.
 *
 *   node bench/run.mjs [case ...] [--reps N] [--warmup N] [--seconds S] [--check] [--list] [--<case option> V]
 *
 * Imports the BUILT package (../dist): run `npm run build` at the root first. Peers: tfjs from this
 * folder's node_modules (`npm --prefix bench ci`), PyTorch through $PYTHON (default python3), the C
 * loop compiled with $CC (default cc). A peer that cannot run here is reported as skipped.
 * Prints a table per case and writes bench/results/<timestamp>.json. --check exits 1 if a target is missed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Skip } from './lib/contestants.mjs';
import { onInterrupt } from './lib/interrupt.mjs';
import { formatCase, writeJson } from './lib/report.mjs';
import { runCase } from './lib/runner.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = dirname(benchDir);

function parseArgs(argv) {
  const options = { cases: [], reps: 7, warmup: 2, secondsPerRep: 0.5, check: false, list: false, caseOptions: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${arg} needs a positive number, got ${argv[i]}`);
      return v;
    };
    if (arg === '--reps') options.reps = Math.round(value());
    else if (arg === '--warmup') options.warmup = Math.round(value());
    else if (arg === '--seconds') options.secondsPerRep = value();
    else if (arg === '--check') options.check = true;
    else if (arg === '--list') options.list = true;
    // A case's own options (e.g. --records): checked against the selected cases once they are known.
    else if (arg.startsWith('--')) options.caseOptions[arg.slice(2)] = argv[++i];
    else options.cases.push(arg);
  }
  return options;
}

/** Core source files newer than their build output: the figures would not measure the code in src/. */
function staleBuildFiles() {
  const stale = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
        const built = join(rootDir, 'dist', relative(join(rootDir, 'src'), path)).replace(/\.ts$/, '.js');
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs) stale.push(relative(rootDir, path));
      }
    }
  };
  for (const folder of ['math', 'model', 'losses', 'optim', 'training']) walk(join(rootDir, 'src', folder));
  return stale;
}

function firstLine(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch {
    return null;
  }
}

function createContext(tmpDir) {
  const datasets = new Map();
  const binaries = new Map();
  const cc = process.env.CC ?? 'cc';
  return {
    tmpDir,
    python: process.env.PYTHON ?? 'python3',
    log: (message) => process.stderr.write(`${message}\n`),
    peer: (file) => join(benchDir, 'peers', file),
    async loadDataset(name, n) {
      const key = `${name}:${n}`;
      if (!datasets.has(key)) {
        const module = await import(`./lib/${name}.mjs`);
        const data = module[name](n);
        datasets.set(key, { ...data, file: module[`write${name[0].toUpperCase()}${name.slice(1)}`](tmpDir, data) });
      }
      return datasets.get(key);
    },
    /** Compiles peers/<file> with `flags` once per run; throws Skip without a working compiler. */
    compileC(file, flags) {
      const key = `${file} ${flags.join(' ')}`;
      if (!binaries.has(key)) {
        const out = join(tmpDir, `${file.replace(/\.c$/, '')}-${binaries.size}`);
        try {
          execFileSync(cc, [...flags, '-o', out, join(benchDir, 'peers', file), '-lm'], { stdio: ['ignore', 'ignore', 'pipe'] });
        } catch (error) {
          throw new Skip(`${cc} ${flags.join(' ')} failed: ${error.code ?? String(error.stderr ?? error.message).trim().split('\n')[0]}`);
        }
        binaries.set(key, out);
      }
      return binaries.get(key);
    },
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    cc: firstLine(process.env.CC ?? 'cc', ['--version']),
    python: firstLine(process.env.PYTHON ?? 'python3', ['--version']),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(join(rootDir, 'dist', 'training', 'setup.js'))) {
    throw new Error('dist/ is missing: run `npm run build` at the repository root first');
  }
  const { CASES } = await import('./cases/index.mjs');
  if (options.list) {
    for (const spec of CASES) process.stdout.write(`${spec.name}: ${spec.title}${spec.onlyWhenNamed ? ' (only when named)' : ''}\n`);
    return 0;
  }
  const unknown = options.cases.filter((name) => !CASES.some((spec) => spec.name === name));
  if (unknown.length > 0) throw new Error(`unknown case(s) ${unknown.join(', ')}; --list shows them`);
  // Long cases (minutes, a Kafka broker) run only when named.
  const selected = options.cases.length > 0 ? CASES.filter((spec) => options.cases.includes(spec.name)) : CASES.filter((spec) => !spec.onlyWhenNamed);
  const known = new Set(selected.flatMap((spec) => Object.keys(spec.options ?? {})));
  const foreign = Object.keys(options.caseOptions).filter((name) => !known.has(name));
  if (foreign.length > 0) throw new Error(`unknown option(s) ${foreign.map((n) => `--${n}`).join(', ')} for the selected cases`);
  const stale = staleBuildFiles();
  if (stale.length > 0) process.stderr.write(`warning: dist/ is older than ${stale.join(', ')}: run \`npm run build\`\n`);

  const record = {
    startedAt: new Date().toISOString(),
    machine: machine(),
    options: { reps: options.reps, warmup: options.warmup, secondsPerRep: options.secondsPerRep, ...options.caseOptions },
    loadAverageBefore: os.loadavg(),
    staleBuild: stale,
    cases: [],
  };
  const tmpDir = mkdtempSync(join(os.tmpdir(), 'online-learner-bench-'));
  const removeTmpDir = () => rmSync(tmpDir, { recursive: true, force: true });
  const forgetTmpDir = onInterrupt(removeTmpDir);
  const ctx = createContext(tmpDir);
  process.stdout.write(
    `online-learner bench: ${record.machine.cpu}, ${record.machine.cores} cores, node ${record.machine.node}; ` +
      `load average ${record.loadAverageBefore.map((l) => l.toFixed(2)).join(' ')}\n`,
  );
  try {
    for (const spec of selected) {
      ctx.log(`running ${spec.name} ...`);
      // A case with its own run() measures something else than timed repetitions (memory of one long run).
      const result = spec.run === undefined ? await runCase(spec, ctx, options) : await spec.run(ctx, options.caseOptions);
      record.cases.push(result);
      process.stdout.write(`${(spec.format ?? formatCase)(result)}\n`);
    }
  } finally {
    removeTmpDir();
    forgetTmpDir();
  }
  record.loadAverageAfter = os.loadavg();
  const file = writeJson(join(benchDir, 'results'), record);
  process.stdout.write(`\nload average after: ${record.loadAverageAfter.map((l) => l.toFixed(2)).join(' ')}; results: ${relative(process.cwd(), file)}\n`);
  const missed = record.cases.flatMap((c) => c.targets).filter((t) => (typeof t.met === 'boolean' ? !t.met : t.met.wall !== true));
  return options.check && missed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exit(2);
  },
);
