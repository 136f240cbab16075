// Configuration: one zod schema, loaded from YAML + ONLINE_LEARNER_* variables + flags.
export { configSchema, taskProblems } from './schema.js';
export type { AppConfig, AppConfigInput } from './schema.js';
export { loadConfig, parseYaml, resolveConfig } from './load.js';
export type { LoadConfigOptions, ResolveConfigOptions } from './load.js';
export { renderConfigReference } from './reference.js';
export { decodeOptionsOf, defaultLossFor, learnerConfigOf, lossConfigOf, optimizerConfigOf } from './assemble.js';
export { CONFIG_FILE_ENV, ENV_PREFIX, envNameOf } from './names.js';
export type { SourceConfig } from './sections/source.js';
export type { RecordSchemaConfig } from './sections/record-schema.js';
export type { LossSectionConfig, ModelSectionConfig } from './sections/model.js';
export type { OptimizerSectionConfig, RegularizationSectionConfig, ScheduleSectionConfig } from './sections/optimizer.js';
