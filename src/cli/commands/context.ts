import type { runTrainJob } from '../../app/train-job.js';

/** What a command may touch: injected so commands run in tests without a real process. */
export interface CommandContext {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly process: Pick<NodeJS.Process, 'on' | 'off'>;
  /** The train job (tests may substitute it). */
  readonly runJob?: typeof runTrainJob;
}
