/**
 * The CLI as a newcomer runs it: the built binary (npm test builds first), real files, real exit codes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ol-cli-'));

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('online-learner CLI', () => {
  it('trains the embedded default (statsville, the chapter model) and writes the summary JSON', async () => {
    const out = join(dir, 'summary.json');
    const { code, stdout, stderr } = await cli(['train', '--summary-json', out, '--no-progress', '--port', '0']);
    expect(code).toBe(0);
    expect(stderr).toContain("recorded stream 'statsville'");
    expect(stderr).toContain('mlp [100] relu, loss softmax_cross_entropy, optimizer sgd lr 0.02, batch 10');
    expect(stdout).toContain('Prequential summary (train)');
    const summary = JSON.parse(readFileSync(out, 'utf8'));
    expect(summary.samples).toBe(10_000);
    expect(summary.rejected).toBe(0);
    expect(summary.loss).toBeGreaterThan(0);
    expect(summary.windowAccuracy).toBeGreaterThan(0.95);
  });

  it('evaluates a file with an inferred schema, dead-letters bad lines and counts them', async () => {
    const file = join(dir, 'reg.jsonl');
    const dead = join(dir, 'dead.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 500; i++) {
      const a = (i % 17) / 17;
      const b = (i % 5) / 5;
      lines.push(JSON.stringify({ features: [a, b], label: 3 * a - 2 * b + 0.5 }));
    }
    lines.splice(100, 0, '{"features": [1, "x"], "label": 1}', 'garbage');
    writeFileSync(file, lines.join('\n') + '\n');
    const out = join(dir, 'eval.json');
    const { code, stderr } = await cli(['evaluate', file, '--lr', '0.05', '--batch-size', '4', '--dead-letter', dead, '--summary-json', out]);
    expect(code).toBe(0);
    expect(stderr).toContain('Inferred the record schema');
    const summary = JSON.parse(readFileSync(out, 'utf8'));
    expect(summary.samples).toBe(500);
    expect(summary.rejected).toBe(2);
    expect(summary.rejectedByReason).toEqual({ bad_type: 1, not_json: 1 });
    expect(typeof summary.rmse).toBe('number');
    const letters = readFileSync(dead, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(letters.map((l) => [l.reason, l.origin.line])).toEqual([
      ['bad_type', 101],
      ['not_json', 102],
    ]);
  });

  it('explains bad configuration with the field, the value and the rule, and exits non-zero', async () => {
    const { code, stderr } = await cli(['train', '--lr', '-1', '--no-progress', '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/optimizer\.lr: -1 is invalid: must be >= 0/);
    const unknown = await cli(['train', '--learning-rate', '0.1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --learning-rate');
  });

  it('documents every option in --help', async () => {
    const { code, stdout } = await cli(['train', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--model', '--hidden', '--activation', '--dropout', '--loss', '--optimizer', '--lr', '--batch-size', '--shuffle-buffer', '--seed', '--standardize', '--l1', '--l2', '--brokers', '--topic', '--group', '--max-records', '--idle-exit-ms', '--summary-json', '--config']) {
      expect(stdout).toContain(flag);
    }
  });

  it('lists the shipped streams', async () => {
    const { code, stdout } = await cli(['streams']);
    expect(code).toBe(0);
    for (const name of ['statsville', 'regression', 'imbalanced', 'drift', 'large']) expect(stdout).toContain(name);
  });
});
