#!/usr/bin/env node
// The `online-learner` command. Sub-commands are registered in ./commands.ts as they land.
import { run } from './run.js';

/**
 * Once a command is done, everything it opened has been closed; what can still hold the event loop is a
 * client library's own leftovers (kafkajs keeps a socket and its retry timers after a consumer rode out
 * a broker restart, even past disconnect()). Exit after this grace period rather than hang.
 */
const EXIT_GRACE_MS = 2_000;

function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

run(process.argv.slice(2)).then(finish, (err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  finish(1);
});
