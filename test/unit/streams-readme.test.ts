/**
 * streams/README.md stays true: every stream of the catalogue is documented and has a replay command,
 * the commands in "Replay and record" use only options the commands accept, and the line-format
 * examples are what record writes and replay reads.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReplayLine } from '../../src/app/record-format.js';
import { RECORD_HELP } from '../../src/cli/commands/record.js';
import { REPLAY_HELP } from '../../src/cli/commands/replay.js';
import { TRAIN_HELP } from '../../src/cli/commands/train.js';
import { listStreams } from '../../src/streams/index.js';

const readme = readFileSync(new URL('../../streams/README.md', import.meta.url), 'utf8');

/** The text of the `## title` section, up to the next `## `. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`streams/README.md has no section '## ${title}'`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Fenced blocks of one language in `text`. */
function blocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

/** Shell commands of the sh blocks: continuation lines joined, comments dropped. */
function commands(text: string): string[][] {
  return blocks(text, 'sh')
    .flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+/));
}

const replayAndRecord = section('Replay and record');

describe('streams/README.md', () => {
  it('documents every stream of the catalogue in the table and in its own section', () => {
    const streams = section('The streams');
    for (const { name } of listStreams()) {
      expect(readme).toMatch(new RegExp(`^\\| \`${name}\` `, 'm'));
      expect(streams).toContain(`\n### ${name}\n`);
    }
  });

  it('shows how to replay every stream: shipped ones by name, generated ones after generate', () => {
    const lines = commands(replayAndRecord).map((words) => words.join(' '));
    for (const info of listStreams()) {
      if (info.file !== null) {
        expect(lines.some((line) => line.startsWith(`online-learner replay ${info.name} --topic`))).toBe(true);
      } else {
        const generate = lines.find((line) => line.startsWith(`online-learner generate ${info.name} --out `));
        expect(generate).toBeDefined();
        const out = (generate as string).split(' ')[4];
        expect(lines.some((line) => line.startsWith(`online-learner replay ${out} --topic`))).toBe(true);
      }
    }
  });

  it('uses only options that replay, record and train accept', () => {
    const help: Record<string, string> = { replay: REPLAY_HELP, record: RECORD_HELP, train: TRAIN_HELP };
    const used = commands(replayAndRecord).filter(([bin, command]) => bin === 'online-learner' && command in help);
    expect(used.length).toBeGreaterThanOrEqual(8);
    for (const [, command, ...args] of used) {
      for (const flag of args.filter((arg) => arg.startsWith('--'))) {
        // train passes --section.field through to the configuration.
        if (command === 'train' && flag.includes('.')) continue;
        expect(help[command], `${command} ${flag}`).toMatch(new RegExp(`${flag}(?![\\w-])`));
      }
    }
  });

  it('gives line-format examples that replay reads back as documented', () => {
    const [recorded, envelope] = blocks(replayAndRecord, 'json').map((text) => Buffer.from(text.trim()));
    const line = parseReplayLine(recorded, 'README', false);
    // The first record of streams/statsville.jsonl.gz, as the "Record format" section shows it.
    expect(String(line.value)).toBe('{"features":{"height_cm":158.1,"weight_kg":57.2},"label":"woman","id":"sv-0"}');
    expect(line.kafka).toEqual({ partition: 0, offset: '0', timestamp: 1_718_000_000_000, key: 'sv-0' });
    const raw = parseReplayLine(envelope, 'README', false);
    expect(String(raw.value)).toBe('not json');
    expect(raw.kafka?.key).toBeNull();
  });
});
