#!/usr/bin/env node
// Regenerates streams/*.jsonl.gz and streams/manifest.json from the generators in src/streams, through
// the built package: run `npm run build` first.
//
//   node scripts/make-streams.mjs           write the committed files and the manifest
//   node scripts/make-streams.mjs --check   regenerate every stream in memory (the full million-record
//                                           `large` too, about 10-30 s) and compare with the manifest
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CANONICAL_FORM,
  MANIFEST_FILE,
  PREFIX_RECORDS,
  hashStream,
  listStreams,
  manifestEntry,
  streamsDir,
  verifyStream,
  writeStream,
} from '../dist/streams/index.js';

const dir = streamsDir();

async function make() {
  const entries = [];
  for (const info of listStreams()) {
    const started = Date.now();
    let entry;
    if (info.file === null) {
      const digest = hashStream(info.name);
      const prefix = hashStream(info.name, { records: PREFIX_RECORDS });
      entry = manifestEntry(info, digest, { records: prefix.records, sha256: prefix.sha256 });
    } else {
      const out = join(dir, info.file);
      entry = manifestEntry(info, await writeStream(info.name, { out }));
      const { size } = await stat(out);
      console.log(`${info.file}: ${size} bytes compressed`);
    }
    console.log(`${info.name}: ${entry.records} records, ${entry.bytes} bytes, sha256 ${entry.sha256} (${Date.now() - started} ms)`);
    entries.push(entry);
  }
  const manifest = { formatVersion: 1, canonical: CANONICAL_FORM, streams: entries };
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}

async function check() {
  let failed = 0;
  for (const info of listStreams()) {
    const result = await verifyStream(info.name);
    console.log(`${info.name}: ${result.ok ? 'ok' : 'MISMATCH'} (${result.generated.records} records)`);
    for (const problem of result.problems) console.log(`  ${problem}`);
    if (!result.ok) failed++;
  }
  process.exitCode = failed === 0 ? 0 : 1;
}

await (process.argv.includes('--check') ? check() : make());
