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
export { runSweep } from './run-sweep.js';
export type { SweepOptions, SweepOutcome } from './run-sweep.js';
export { mergeSweeps } from './merge.js';
export type { MergeOutcome } from './merge.js';
export { readResults, writeTables, shardDirName, MANIFEST_FILE } from './sweep-directory.js';
export type { SweepManifest, ResultRecord } from './sweep-directory.js';
export { runCase } from './case-runner.js';
export { PROBE_SOC, CASE_METRICS } from '../io/case-result.js';
export type { CaseTask, CaseResult, CaseRunner, CaseContext, CaseStatus } from '../io/case-result.js';
export { createPoolExecutor, createInProcessExecutor, defaultWorkerCount } from './executor.js';
export type { CaseExecutor, CaseChannel } from './executor.js';
export { sweepColumns, ensembleColumns, sweepCsv, ensembleCsv, meanStd } from '../io/sweep-tables.js';
