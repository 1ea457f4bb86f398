/**
 * chemofrac WebAssembly kernel: the exports the host wrapper (`src/engine/wasm-kernel.ts`) calls.
 *
 * The binary interface (error codes, record slots, array ids) is `abi.ts`, re-exported here as immutable globals
 * that the host reads at load time (`src/engine/wasm-abi.ts`).
 *
 * Setup protocol (no allocation afterwards):
 *   1. `setupBegin(sizes…)` resets the arena and allocates every array by name (`state.ts`); the host reads their
 *      addresses and lengths with `arrayPointer(id)` / `arrayLength(id)` and copies its typed arrays in;
 *   2. `setupFinish()` validates, builds patterns, assembles the constant matrices and analyses the factors.
 * Every entry point returns an ERROR_* code (ERROR_NONE = 0) instead of trapping on bad input.
 */
import { arenaReset, arenaBytes, copyF64 } from './memory';
import { ERROR_NONE, ERROR_INDEX_RANGE, ERROR_NOT_READY } from './abi';
import * as S from './state';
import * as Diffusion from './diffusion';
import * as Mechanics from './mechanics';

export * from './abi';
export { arrayPointer, arrayLength, arrayElementBytes } from './state';

let ready: bool = false;

export function setupBegin(
  nodeCount: i32,
  triCount: i32,
  materialCount: i32,
  latticeTableLength: i32,
  diffusionDofCount: i32,
  interfaceCount: i32,
  interfaceMaterialCount: i32,
  fluxSegmentCount: i32,
  fixedDofCount: i32,
  generalizedPlaneStrain: i32,
): i32 {
  ready = false;
  arenaReset();
  S.setSizes(
    nodeCount,
    triCount,
    materialCount,
    latticeTableLength,
    diffusionDofCount,
    interfaceCount,
    interfaceMaterialCount,
    fluxSegmentCount,
    fixedDofCount,
    generalizedPlaneStrain != 0,
  );
  S.allocateScenario();
  return ERROR_NONE;
}

/** Range checks the host should already have done; a second line of defence against traps. */
function validateIndices(): i32 {
  const nn = <u32>S.nodeCount;
  for (let i = 0; i < 3 * S.triCount; i++)
    if (load<u32>(S.triNodes + ((<usize>i) << 2)) >= nn) return ERROR_INDEX_RANGE;
  for (let i = 0; i < S.triCount; i++)
    if (load<u32>(S.triMaterial + ((<usize>i) << 2)) >= <u32>S.materialCount) return ERROR_INDEX_RANGE;
  for (let i = 0; i < S.nodeCount; i++)
    if (load<u32>(S.diffusionDof + ((<usize>i) << 2)) >= <u32>S.diffusionDofCount) return ERROR_INDEX_RANGE;
  for (let i = 0; i < 4 * S.interfaceCount; i++)
    if (load<u32>(S.interfaceNodes + ((<usize>i) << 2)) >= nn) return ERROR_INDEX_RANGE;
  for (let i = 0; i < S.interfaceCount; i++) {
    if (load<u32>(S.interfaceMaterial + ((<usize>i) << 2)) >= <u32>S.interfaceMaterialCount) return ERROR_INDEX_RANGE;
  }
  for (let i = 0; i < 2 * S.fluxSegmentCount; i++)
    if (load<u32>(S.fluxSegmentNodes + ((<usize>i) << 2)) >= nn) return ERROR_INDEX_RANGE;
  for (let i = 0; i < S.fixedDofCount; i++)
    if (load<u32>(S.fixedDofs + ((<usize>i) << 2)) >= 2 * nn) return ERROR_INDEX_RANGE;
  return ERROR_NONE;
}

export function setupFinish(): i32 {
  let code = validateIndices();
  if (code != ERROR_NONE) return code;
  code = Diffusion.setupDiffusion();
  if (code != ERROR_NONE) return code;
  code = Mechanics.setupMechanics();
  if (code != ERROR_NONE) return code;
  ready = true;
  return ERROR_NONE;
}

// ---- diffusion ----
export function diffusionStep(dt: f64, hasExtra: i32): i32 {
  if (!ready) return ERROR_NOT_READY;
  return Diffusion.diffusionStep(dt, hasExtra != 0);
}
export function diffusionIterations(): i32 {
  return Diffusion.lastIterations;
}
export function diffusionResidual(): f64 {
  return Diffusion.lastResidual;
}
export function diffusionRefactored(): i32 {
  return Diffusion.lastRefactored ? 1 : 0;
}
export function liIntegral(): f64 {
  return ready ? Diffusion.liIntegral() : 0;
}
// ---- mechanics ----
/**
 * scheme: 0 = implicit damage-secant iteration, 1 = IMPL-EX (one linear solve, see mechanics.ts). linearRtol: relative
 * residual of the linear solves (MECHANICS_RTOL when ≤ 0).
 */
export function mechanicsSolve(
  dt: f64,
  maxIterations: i32,
  tolerance: f64,
  hasPrescribed: i32,
  hasExtra: i32,
  scheme: i32,
  linearRtol: f64,
): i32 {
  if (!ready) return ERROR_NOT_READY;
  Mechanics.setLinearTolerance(linearRtol > 0 ? linearRtol : Mechanics.MECHANICS_RTOL);
  return Mechanics.mechanicsSolve(dt, maxIterations, tolerance, hasPrescribed != 0, hasExtra != 0, scheme != 0);
}
/** Generalized plane strain: ε_zz of the last mechanics solve (0 in the other sections). */
export function mechanicsAxialStrain(): f64 {
  return Mechanics.reportAxialStrain;
}
export function mechanicsLinearSolves(): i32 {
  return Mechanics.reportLinearSolves;
}
export function mechanicsExtrapolationError(): f64 {
  return Mechanics.reportExtrapolationError;
}
export function mechanicsMeanExtrapolationError(): f64 {
  return Mechanics.reportExtrapolationError > 0 ? Mechanics.reportMeanDamageChange : 0;
}
export function mechanicsConverged(): i32 {
  return Mechanics.reportConverged ? 1 : 0;
}
export function mechanicsIterations(): i32 {
  return Mechanics.reportIterations;
}
export function mechanicsLinearIterations(): i32 {
  return Mechanics.reportLinearIterations;
}
export function mechanicsMaxDamageChange(): f64 {
  return Mechanics.reportMaxDamageChange;
}
export function mechanicsMaxDamageIncrement(): f64 {
  return Mechanics.reportMaxDamageIncrement;
}
export function mechanicsSofteningPoints(): i32 {
  return Mechanics.reportSofteningPoints;
}
export function mechanicsRefactorizations(): i32 {
  return Mechanics.reportRefactorizations;
}
export function mechanicsResidual(): f64 {
  return Mechanics.reportResidual;
}
export function mechanicsFactorizationCount(): i32 {
  return ready ? Mechanics.factorizationCount() : 0;
}
export function refactorCostInSolves(): f64 {
  return ready ? Mechanics.refactorCostInSolves() : 0;
}
// ---- state ----
export function commitDamage(): void {
  const nq = 2 * S.interfaceCount;
  copyF64(S.damage, S.trialDamage, nq);
  copyF64(S.kappa, S.trialKappa, nq);
  copyF64(S.kappaRate, S.trialKappaRate, nq);
  copyF64(S.lambda, S.trialLambda, nq);
  Mechanics.commitWarmStart();
}
export function saveState(): void {
  const nq = 2 * S.interfaceCount;
  copyF64(S.backupLi, S.li, S.diffusionDofCount);
  copyF64(S.backupDisplacement, S.displacement, 2 * S.nodeCount);
  copyF64(S.backupDamage, S.damage, nq);
  copyF64(S.backupKappa, S.kappa, nq);
  copyF64(S.backupKappaRate, S.kappaRate, nq);
  copyF64(S.backupLambda, S.lambda, nq);
}
/**
 * Forget every reused factorisation (mechanics and diffusion): the next solves factorise afresh, exactly as in a
 * freshly set-up kernel. Checkpoints call it, so that a run resumed from a checkpoint and the uninterrupted run
 * take bit-identical steps (a stale-factor PCG solve differs from a fresh direct one in the last digits).
 */
export function resetSolverCaches(): void {
  if (!ready) return;
  Mechanics.resetMechanicsCaches();
  Diffusion.resetDiffusionCaches();
}
export function restoreState(): void {
  const nq = 2 * S.interfaceCount;
  copyF64(S.li, S.backupLi, S.diffusionDofCount);
  copyF64(S.displacement, S.backupDisplacement, 2 * S.nodeCount);
  copyF64(S.damage, S.backupDamage, nq);
  copyF64(S.kappa, S.backupKappa, nq);
  copyF64(S.kappaRate, S.backupKappaRate, nq);
  copyF64(S.lambda, S.backupLambda, nq);
}

/** Arena bytes held for the scenario (inputs, fields, patterns, matrices, factors, work arrays). */
export function memoryBytes(): f64 {
  return <f64>arenaBytes();
}
/** Unknowns and nonzeros, for the benchmark. */
export function diffusionUnknowns(): i32 {
  return ready ? Diffusion.diffusionPattern().n : 0;
}
export function mechanicsUnknowns(): i32 {
  return ready ? Mechanics.mechanicsPattern().n : 0;
}
export function mechanicsNonzeros(): i32 {
  return ready ? Mechanics.mechanicsPattern().nnz : 0;
}
export function diffusionFactorBytes(): f64 {
  return ready ? Diffusion.diffusionFactorBytes() : 0;
}
export function mechanicsFactorBytes(): f64 {
  return ready ? <f64>Mechanics.mechanicsFactor().bytes() : 0;
}
export function mechanicsFactorNonzeros(): f64 {
  return ready ? <f64>Mechanics.mechanicsFactor().factorNonzeros() : 0;
}
