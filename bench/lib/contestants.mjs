/**
 * A contestant is one implementation of a case's work: `start()` prepares it (or reports why it cannot
 * run), `run(units)` does `units` of work and returns `{ seconds, cpuSeconds }`, wall-clock and process
 * CPU time measured around the work itself; `stop()` releases it. CPU time is kept too because on a
 * shared machine the wall clock also counts the time the scheduler gave to other processes.
 *
 * Every contestant lives in a child process of its own that speaks a line protocol on stdin/stdout, so
 * it stays warm between repetitions and the harness can interleave them: peers (tfjs backends with their
 * global state, PyTorch, the C loop) and our own rows alike (`ownProcess`):
 *
 *   child  -> `@@bench {"ready":true,"info":{...}}`   or   `@@bench {"skip":"reason"}`
 *   parent -> `run <units>`
 *   child  -> `@@bench {"seconds":<float>,"cpuSeconds":<float>}`
 *   parent -> `quit` (or closes stdin)
 *
 * Only lines starting with the marker are read, so libraries that print to stdout cannot break the
 * protocol. See peers/protocol.mjs and peers/protocol.py for the child side.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export const MARKER = '@@bench ';

/** Thrown by `start()` when a peer cannot run here (missing interpreter, library or compiler). */
export class Skip extends Error {}

/**
 * role: 'ours' (the figure under test), 'variant' (another figure of ours), 'peer' (a figure that a
 * target compares against) or 'reference' (printed for context only).
 *
 * A peer in a child process speaking the protocol above. `command` and `args` as for spawn; `command`
 * may be a function, called at start, that throws Skip (e.g. when a compiler is missing).
 */
export function childProcess({ name, role, describe, command, args, env }) {
  let child = null;
  let lines = null;
  let stderrTail = '';
  const nextMessage = () =>
    new Promise((resolve, reject) => {
      const onLine = (line) => {
        if (!line.startsWith(MARKER)) return;
        cleanup();
        resolve(JSON.parse(line.slice(MARKER.length)));
      };
      const onClose = () => {
        cleanup();
        reject(new Skip(`${name} exited${stderrTail ? `: ${lastLine(stderrTail)}` : ''}`));
      };
      const cleanup = () => {
        lines.off('line', onLine);
        lines.off('close', onClose);
      };
      lines.on('line', onLine);
      lines.on('close', onClose);
    });
  return {
    name,
    role,
    describe,
    async start() {
      const executable = typeof command === 'function' ? command() : command;
      child = spawn(executable, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      const spawned = new Promise((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (error) => reject(new Skip(`cannot start ${executable}: ${error.code ?? error.message}`)));
      });
      // A child that dies mid-write must surface as a failed reply, not as an unhandled EPIPE.
      child.stdin.on('error', () => {});
      child.stderr.on('data', (chunk) => {
        stderrTail = (stderrTail + chunk.toString()).slice(-4000);
      });
      lines = createInterface({ input: child.stdout });
      await spawned;
      const hello = await nextMessage();
      if (hello.skip !== undefined) throw new Skip(hello.skip);
      return hello.info ?? {};
    },
    async run(units) {
      const reply = nextMessage();
      child.stdin.write(`run ${units}\n`);
      const { seconds, cpuSeconds, error } = await reply;
      if (error !== undefined) throw new Error(`${name}: ${error}`);
      return { seconds, cpuSeconds };
    },
    async stop() {
      const running = child;
      child = null;
      if (running === null || running.pid === undefined || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.stdin.end('quit\n');
      await exited;
    },
  };
}

const OWN_PROCESS = new URL('./own-process.mjs', import.meta.url).pathname;

/**
 * One of our contestants in a child Node process of its own (lib/own-process.mjs), built there by
 * `module`'s export `exportName` called with `config` (JSON). In the harness process every case and
 * variant shares V8's type feedback: code that one model, dtype or batch shape made monomorphic turns
 * polymorphic for the next, which is not what a process training one model sees (measured on
 * logreg-large-b1: 726 ns a step alone, 1,356 after the other contestants ran in the same process).
 */
export function ownProcess({ name, role, describe, module, exportName, config }) {
  return childProcess({ name, role, describe, command: process.execPath, args: [OWN_PROCESS, JSON.stringify(config), module, exportName] });
}

function lastLine(text) {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1];
}
