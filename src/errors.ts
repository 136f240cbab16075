/**
 * One error hierarchy for the whole project (kafkajs habit): every error has a stable `code` and says
 * whether retrying the same operation can succeed.
 */
export class LearnerError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** A configuration value that breaks a rule. The message names the field, the value and the rule. */
export class ConfigError extends LearnerError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

/** Shapes that do not fit (tensor lengths, batch sizes, parameter names). A programming error. */
export class ShapeError extends LearnerError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}
