/**
 * chemofrac public API: the one explicit list of what the library exports. The CLI, the batch sweeps and the
 * browser worker use exactly this, nothing private.
 *
 *   import { Simulation, resolveConfig } from 'chemofrac';
 *   const sim = await Simulation.create({ material: 'nmc811', loading: { c_rates: [1, 0.5, 0.1] } });
 *   while (!sim.done) { const rec = sim.step(); … }      // rec: soc, x_mean, x_std, damage_mean, …
 *   const { x, damage, stress_MPa } = sim.fields();       // typed arrays on sim.scenario.mesh
 */
export {
  Simulation,
  SimulationError,
  HISTORY_COLUMNS,
  CYCLING_HISTORY_COLUMNS,
  CYCLE_COLUMNS,
  createKernel,
} from './engine/simulation.js';
export type {
  StepRecord,
  SimulationFields,
  SimulationOptions,
  EndReason,
  LimitEvent,
  CycleRecord,
  LegKind,
} from './engine/simulation.js';
export { computeMetrics, classifyParticle, CRACKED_DAMAGE } from './engine/metrics.js';
export type { StepMetrics, ParticleClass } from './engine/metrics.js';
export type {
  Kernel,
  KernelSetup,
  KernelMaterial,
  KernelInterfaceMaterial,
  MechanicsReport,
  SolveReport,
} from './engine/kernel-api.js';
export { resolveConfig, parseConfig, ConfigError, POROSITY_PRESETS } from './scenario/resolve.js';
export type { ResolvedConfig } from './scenario/resolve.js';
export type { UserConfig } from './scenario/config-schema.js';
export { ConfigSchema } from './scenario/config-schema.js';
export { configJsonSchema } from './scenario/json-schema.js';
export { buildScenario, meshSpecFromConfig } from './scenario/build.js';
export type { Scenario } from './scenario/build.js';
export { referenceConfig, REFERENCE_VARIANTS } from './scenario/reference.js';
export { MECHANISM_VARIANTS, mechanismConfig } from './scenario/mechanisms.js';
export type { MechanismVariant } from './scenario/mechanisms.js';
export { PROBE_SOC, metricsAtSoc } from './io/metrics-at-soc.js';
export {
  MECHANISM_TABLE_HEADER,
  mechanismRun,
  mechanismTableCells,
  summarizeMechanisms,
} from './io/mechanism-table.js';
export type { MechanismRun, MechanismSummary } from './io/mechanism-table.js';
export type { ReferenceVariant } from './scenario/reference.js';
export { MATERIAL_PRESETS, MATERIAL_PRESET_NAMES, PARAMETER_PROVENANCE, SOURCES } from './materials/presets.js';
export { meshPolycrystal, validateMeshSpec, MeshInputError } from './mesh/index.js';
export { InputError } from './errors.js';
export type { PolycrystalMesh, MeshStats } from './mesh/types.js';
export { REGION_GRAIN, REGION_COATING, INTERFACE_GRAIN_BOUNDARY, INTERFACE_COATING } from './mesh/types.js';
export { ENGINE_VERSION } from './version.js';
export { csvTable } from './io/csv.js';
// Ensembles and sweep tables without files: the cases `chemofrac sweep` builds and the rows it writes (the browser
// app's ensemble view; docs/sweeps.md), and the class statistics of an ensemble.
export { SMALL_PARTICLE, designConfig, designEnsembleSweep } from './scenario/design-ensemble.js';
export { SweepError, axisKeys, expandCasesAsyncHash, parseInlineSweepSpec } from './scenario/sweep-cases.js';
export type { SweepCase, SweepSpec, SweepSpecInput } from './scenario/sweep-cases.js';
export { CASE_METRICS, caseResult } from './io/case-result.js';
export type { CaseResult, CaseRunOutcome, CaseStatus } from './io/case-result.js';
export { ensembleColumns, ensembleCsv, sweepColumns, sweepCsv } from './io/sweep-tables.js';
export { PARTICLE_CLASSES, Z_95, classCounts, histogram, wilsonInterval } from './io/ensemble-statistics.js';
export type { ClassCounts } from './io/ensemble-statistics.js';
export { snapshotVtuText } from './io/snapshot-vtu.js';
export { meshArrays } from './mesh/view-arrays.js';
export type { WorkerMesh } from './mesh/view-arrays.js';
export type { SnapshotMesh, SnapshotFields } from './io/snapshot-vtu.js';
// Synthesis (calcination) of the precursor particle (docs/synthesis.md).
export { parseSynthesisConfig, SynthesisConfigSchema, SynthesisConfigError } from './synthesis/config.js';
export type { SynthesisConfig, SynthesisSection } from './synthesis/config.js';
export { SYNTHESIS_PRESETS, SYNTHESIS_PRESET_NAMES } from './synthesis/presets.js';
export { SYNTHESIS_PARAMETERS } from './synthesis/parameters.js';
export { SynthesisModel, SYNTHESIS_HISTORY_COLUMNS } from './synthesis/model.js';
export type { SynthesisRecord, RingProfile } from './synthesis/model.js';
export { buildSynthesisMesh } from './synthesis/mesh.js';
export { compileProgram, arrheniusFactor } from './synthesis/temperature-program.js';
export type { ProgramSegment, TemperatureProgram } from './synthesis/temperature-program.js';
export { loadSynthesizedMicrostructure } from './synthesis/load-microstructure.js';
export type { SynthesizedMicrostructure } from './synthesis/load-microstructure.js';
