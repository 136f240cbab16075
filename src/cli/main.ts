#!/usr/bin/env node
// The `online-learner` command. Sub-commands are registered in ./commands.ts as they land.
import { run } from './run.js';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
