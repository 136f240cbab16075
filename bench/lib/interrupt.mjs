/**
 * Cleanup that must run however a bench run ends: the caller's `finally` on a normal end, and these
 * handlers on Ctrl-C, SIGTERM, SIGHUP or a process.exit() from elsewhere. Handlers are synchronous
 * because an 'exit' listener cannot await; they run newest first (a child started on a broker goes
 * before the broker), each at most once.
 *
 * Why the harness must do it itself: processes started in the background by a script (the Kafka
 * broker of scripts/kafka-local, under nohup) ignore SIGINT, so a Ctrl-C would leave them running.
 */
import { constants } from 'node:os';

const handlers = [];
let installed = false;

/** Registers `cleanup`; returns the function that unregisters it (call it once cleaned up normally). */
export function onInterrupt(cleanup) {
  install();
  handlers.push(cleanup);
  return () => {
    const i = handlers.indexOf(cleanup);
    if (i >= 0) handlers.splice(i, 1);
  };
}

function runAll() {
  while (handlers.length > 0) {
    const cleanup = handlers.pop();
    try {
      cleanup();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${error.message}\n`);
    }
  }
}

function install() {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: stopping what the bench started\n`);
      runAll();
      process.exit(128 + constants.signals[signal]);
    });
  }
  process.on('exit', runAll);
}
