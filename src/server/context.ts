/** What every route handler receives: the learner and its metrics, the readiness flag, the limits, the live page's state. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LearnerMetrics } from '../metrics/learner-metrics.js';
import type { Learner } from '../pipeline/learner.js';
import type { LiveHistory } from './live-history.js';
import type { LiveLearningRates } from './live-learning-rates.js';
import type { PredictDecodeOptions } from './predict-request.js';

export interface Readiness {
  ready: boolean;
  /** Why not ready, for the 503 body. */
  reason: string;
}

export interface ServerContext {
  readonly learner: Learner;
  readonly metrics: LearnerMetrics;
  readonly readiness: Readiness;
  readonly predict: PredictDecodeOptions;
  /** Shown by /status after redaction; the learner's config unless the runner passes its whole config. */
  readonly config: unknown;
  /** Required as `Authorization: Bearer <token>` by admin routes; null: admin routes are open. */
  readonly adminToken: string | null;
  /** What POST /admin/checkpoint calls; null: the runner takes no checkpoints (503). */
  readonly onCheckpointRequest: (() => Promise<{ readonly path?: string } | void>) | null;
  /** What GET /live serves: the sampled learning curve and the effective learning rates. */
  readonly live: { readonly history: LiveHistory; readonly learningRates: LiveLearningRates };
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, context: ServerContext) => void | Promise<void>;

export interface Route {
  /** Handlers by method; HEAD is answered wherever GET is. */
  readonly methods: Readonly<Partial<Record<'GET' | 'POST', Handler>>>;
  /** Behind the admin token when one is configured. */
  readonly admin?: boolean;
  /**
   * Changes the running learner: behind the admin token, and refused (403 admin_disabled) when none is
   * configured, so such a route is never open by default.
   */
  readonly requiresToken?: boolean;
}
