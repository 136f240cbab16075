/**
 * What `online-learner replay FILE` reads: FILE itself when it exists, else the shipped file of the
 * recorded stream named FILE (streams/<name>.jsonl.gz, as the catalogue and manifest list it).
 */
import { stat } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { listStreams } from '../streams/catalogue.js';
import { streamFilePath } from '../streams/manifest.js';

export interface ReplayInput {
  readonly path: string;
  /** For messages: `file x.jsonl` or `recorded stream 'statsville' (streams/statsville.jsonl.gz)`. */
  readonly description: string;
}

export async function resolveReplayInput(fileOrStream: string, streamsDir?: string): Promise<ReplayInput> {
  const found = await stat(fileOrStream).catch(() => null);
  if (found !== null) {
    if (!found.isFile()) throw new ConfigError(`replay FILE: ${fileOrStream} is not a regular file`);
    return { path: fileOrStream, description: `file ${fileOrStream}` };
  }
  const streams = listStreams();
  const info = streams.find((s) => s.name === fileOrStream);
  if (info === undefined) {
    const names = streams.map((s) => s.name).join(', ');
    throw new ConfigError(`replay FILE: ${JSON.stringify(fileOrStream)} is neither a file nor a recorded stream (${names})`);
  }
  const path = streamFilePath(info, streamsDir);
  if (path === null) {
    throw new ConfigError(
      `replay FILE: stream '${info.name}' is generated, not shipped: write it first with ` +
        `'online-learner generate ${info.name} --out FILE' and replay FILE`,
    );
  }
  return { path, description: `recorded stream '${info.name}' (${path})` };
}
