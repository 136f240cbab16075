/**
 * Checkpoints as files in a local directory, `checkpoint-<sequence>.safetensors` (codec.ts), newest =
 * highest sequence number. One learner per directory.
 *
 * Durability (the classic recipe, e.g. https://lwn.net/Articles/457667/): write the bytes to a temporary
 * file in the same directory, fsync it, rename it into place (atomic on POSIX file systems), fsync the
 * directory so the rename itself survives a power cut. A reader therefore sees a whole checkpoint or
 * none; a crash mid-write leaves only a temporary file, removed at the next open. Saves run one at a time,
 * in call order. After each save only the newest `keep` checkpoints remain.
 *
 * `latest()` returns the newest checkpoint that decodes (size, safetensors, checksum, JSON); each newer
 * one that does not is reported as a warning and skipped: damage from outside (a disk, an operator) costs
 * the work since the previous checkpoint, not the run. When checkpoints exist but none is readable it
 * throws: starting over silently would forget the stream position.
 */
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { decodeCheckpoint, encodeCheckpoint } from './codec.js';
import { CheckpointCorruptError } from './errors.js';
import type { Checkpoint, CheckpointStore, LoadedCheckpoint, SavedCheckpoint } from './types.js';

export interface DirectoryStoreOptions {
  readonly dir: string;
  /** Checkpoints kept; older ones are deleted after each save. */
  readonly keep?: number;
  /** Told about every skipped (unreadable) checkpoint, besides the warnings `latest()` returns. */
  readonly warn?: (message: string) => void;
}

const NAME = /^checkpoint-(\d{12})\.safetensors$/;
const TEMPORARY = /^\.checkpoint-\d{12}\.safetensors\.\d+\.tmp$/;
/** fsync on a directory handle is refused on some platforms (Windows); the rename is still atomic there. */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'EPERM', 'EBADF']);

export class DirectoryCheckpointStore implements CheckpointStore {
  readonly description: string;
  private sequence: number;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly keep: number,
    private readonly warn: (message: string) => void,
    lastSequence: number,
  ) {
    this.description = `directory ${dir} (keeps ${keep})`;
    this.sequence = lastSequence;
  }

  /** Creates the directory if needed and removes temporary files a crashed write left behind. */
  static async open({ dir, keep = 3, warn = () => undefined }: DirectoryStoreOptions): Promise<DirectoryCheckpointStore> {
    if (!Number.isInteger(keep) || keep < 1) throw new ConfigError(`checkpoint.keep: ${keep} is invalid: must be an integer >= 1`);
    await mkdir(dir, { recursive: true });
    const entries = await readdir(dir);
    for (const entry of entries) if (TEMPORARY.test(entry)) await rm(join(dir, entry), { force: true });
    const sequences = entries.flatMap((entry) => sequenceOf(entry) ?? []);
    return new DirectoryCheckpointStore(dir, keep, warn, sequences.length === 0 ? 0 : Math.max(...sequences));
  }

  save(checkpoint: Checkpoint): Promise<SavedCheckpoint> {
    const saved = this.queue.then(() => this.write(checkpoint));
    this.queue = saved.catch(() => undefined);
    return saved;
  }

  async latest(): Promise<LoadedCheckpoint | null> {
    const names = await this.list();
    const warnings: string[] = [];
    for (const name of names) {
      try {
        const checkpoint = decodeCheckpoint(await readFile(join(this.dir, name)));
        return { checkpoint, id: name, warnings };
      } catch (err) {
        if (!(err instanceof CheckpointCorruptError)) throw err;
        const message = `checkpoint ${join(this.dir, name)} is unreadable (${err.message}); falling back to the previous one`;
        warnings.push(message);
        this.warn(message);
      }
    }
    if (names.length > 0) {
      throw new CheckpointCorruptError(
        `none of the ${names.length} checkpoints in ${this.dir} is readable: ${warnings.join(' | ')}. ` +
          'Move the directory away to start over from the beginning of the stream.',
      );
    }
    return null;
  }

  /** Checkpoint file names, newest first. */
  async list(): Promise<string[]> {
    const entries = await readdir(this.dir);
    return entries
      .filter((entry) => sequenceOf(entry) !== null)
      .sort()
      .reverse();
  }

  async close(): Promise<void> {
    await this.queue;
  }

  private async write(checkpoint: Checkpoint): Promise<SavedCheckpoint> {
    const started = performance.now();
    const bytes = encodeCheckpoint(checkpoint);
    const name = fileName(++this.sequence);
    const temporary = join(this.dir, `.${name}.${process.pid}.tmp`);
    try {
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, join(this.dir, name));
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
    await syncDirectory(this.dir);
    const names = await this.list();
    for (const old of names.slice(this.keep)) await rm(join(this.dir, old), { force: true });
    return { id: name, bytes: bytes.byteLength, durationMs: performance.now() - started };
  }
}

function fileName(sequence: number): string {
  return `checkpoint-${String(sequence).padStart(12, '0')}.safetensors`;
}

function sequenceOf(name: string): number | null {
  const match = NAME.exec(name);
  return match === null ? null : Number(match[1]);
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle.close();
  }
}
