/** Batch sweeps: parameter grids and microstructure ensembles on a worker pool, resumable and shardable. */
export {
  parseSweepSpec,
  expandCases,
  setConfigKey,
  caseHash,
  canonicalJson,
  sweepPoints,
  parseShard,
  shardCases,
  axisKeys,
  casesDigest,
  SweepError,
  SweepSpecSchema,
} from './spec.js';
export type { SweepSpec, SweepSpecInput, SweepCase, Shard } from './spec.js';
export { runSweep, mergeSweeps, readResults, writeTables, shardDirName, MANIFEST_FILE } from './run-sweep.js';
export type { SweepOptions, SweepOutcome, MergeOutcome, SweepManifest, ResultRecord } from './run-sweep.js';
export { runCase } from './case-runner.js';
export { PROBE_SOC, CASE_METRICS } from './result.js';
export type { CaseTask, CaseResult, CaseRunner, CaseContext, CaseStatus } from './result.js';
export { createPoolExecutor, createInProcessExecutor, defaultWorkerCount } from './executor.js';
export type { CaseExecutor, CaseChannel } from './executor.js';
export { sweepColumns, ensembleColumns, sweepCsv, ensembleCsv, meanStd } from './tables.js';
