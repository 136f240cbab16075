/**
 * The child side of the harness's line protocol (lib/contestants.mjs) for Node peers. The config is
 * argv[2] as JSON. console.log is sent to stderr first, so nothing a library prints can be mistaken
 * for a reply.
 */
import { createInterface } from 'node:readline';

const MARKER = '@@bench ';
const stdoutWrite = process.stdout.write.bind(process.stdout);
console.log = (...args) => console.error(...args);

function send(message) {
  stdoutWrite(`${MARKER}${JSON.stringify(message)}\n`);
}

/** `setup(config)` returns `{ info, run(units) }` (run may be async) or throws; runs until `quit`. */
export async function serve(setup) {
  const config = JSON.parse(process.argv[2] ?? '{}');
  let peer;
  try {
    peer = await setup(config);
  } catch (error) {
    send({ skip: `${error.message}`.split('\n')[0] });
    return;
  }
  send({ ready: true, info: peer.info ?? {} });
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, argument] = line.trim().split(/\s+/);
    if (command === 'quit') break;
    if (command !== 'run') continue;
    try {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await peer.run(Number(argument));
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      send({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
    } catch (error) {
      send({ error: `${error.message}` });
    }
  }
  process.exit(0);
}
