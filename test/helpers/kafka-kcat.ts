/**
 * kcat (librdkafka's command-line client) as an independent producer and consumer in tests.
 */
import { execFile } from 'node:child_process';

export interface KcatMessage {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly payload: string | null;
  /** kcat -J lists headers flat: [name, value, name, value, ...]. */
  readonly headers?: readonly string[];
}

export function runKcat(args: readonly string[], input?: string): Promise<string> {
  return new Promise((done, fail) => {
    const options = { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 };
    const child = execFile('kcat', [...args], options, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        fail(new Error('kcat is not installed (Debian/Ubuntu: apt-get install kcat; macOS: brew install kcat)'));
      } else if (error !== null) {
        fail(new Error(`kcat ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      } else {
        done(stdout);
      }
    });
    child.stdin?.end(input ?? '');
  });
}

/** Every record of `topic` from the beginning, read by kcat until the end of each partition. */
export async function kcatReadAll(brokers: readonly string[], topic: string): Promise<KcatMessage[]> {
  const out = await runKcat(['-C', '-b', brokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-J', '-q']);
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as KcatMessage);
}
