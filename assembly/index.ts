/**
 * chemofrac WebAssembly kernel: the exports the host wrapper (`src/engine/wasm-kernel.ts`) calls.
 *
 * Setup protocol (no allocation afterwards):
 *   1. `setupBegin(sizes…)` resets the arena and allocates the input arrays, the per-step input buffers and the
 *      fields; the host reads their addresses (`*Pointer()`) and copies its typed arrays in;
 *   2. `setupFinish()` validates, builds patterns, assembles the constant matrices and analyses the factors.
 * Every entry point returns an error code (0 = ok) instead of trapping on bad input:
 *   1 non-positive triangle area, 2 diffusion factorisation failed, 3 diffusion solve not finite,
 *   4 duplicate fixed dof, 5 mechanics linear solve failed, 6 index out of range, 7 setup not finished.
 */
import { arenaReset, arenaBytes, allocF64, allocI32, copyF64 } from './memory';
import * as S from './state';
import * as Diffusion from './diffusion';
import * as Mechanics from './mechanics';

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
  planeStress: i32,
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
    planeStress != 0,
  );
  S.setInputPointers(
    allocF64(2 * nodeCount),
    allocI32(3 * triCount),
    allocI32(triCount),
    allocF64(triCount),
    allocF64(S.MATERIAL_STRIDE * materialCount),
    allocF64(latticeTableLength),
    allocI32(nodeCount),
    allocI32(4 * interfaceCount),
    allocI32(interfaceCount),
    allocF64(S.INTERFACE_STRIDE * interfaceMaterialCount),
    allocI32(2 * fluxSegmentCount),
    allocI32(fixedDofCount),
  );
  S.setStepInputPointers(
    allocF64(fluxSegmentCount),
    allocF64(diffusionDofCount),
    allocF64(fixedDofCount),
    allocF64(2 * nodeCount),
  );
  const nq = 2 * interfaceCount;
  S.setFieldPointers(
    allocF64(diffusionDofCount),
    allocF64(2 * nodeCount),
    allocF64(nq),
    allocF64(nq),
    allocF64(nq),
    allocF64(nq),
    allocI32(nq),
    allocF64(2 * nq),
    allocF64(2 * nq),
    allocF64(4 * triCount),
    allocF64(diffusionDofCount),
    allocF64(2 * nodeCount),
    allocF64(nq),
    allocF64(nq),
  );
  S.setRatePointers(allocF64(nq), allocF64(nq), allocF64(nq));
  return 0;
}

/** Range checks the host should already have done; a second line of defence against traps. */
function validateIndices(): i32 {
  const nn = <u32>S.nodeCount;
  for (let i = 0; i < 3 * S.triCount; i++) if (load<u32>(S.triNodes + ((<usize>i) << 2)) >= nn) return 6;
  for (let i = 0; i < S.triCount; i++)
    if (load<u32>(S.triMaterial + ((<usize>i) << 2)) >= <u32>S.materialCount) return 6;
  for (let i = 0; i < S.nodeCount; i++)
    if (load<u32>(S.diffusionDof + ((<usize>i) << 2)) >= <u32>S.diffusionDofCount) return 6;
  for (let i = 0; i < 4 * S.interfaceCount; i++) if (load<u32>(S.interfaceNodes + ((<usize>i) << 2)) >= nn) return 6;
  for (let i = 0; i < S.interfaceCount; i++) {
    if (load<u32>(S.interfaceMaterial + ((<usize>i) << 2)) >= <u32>S.interfaceMaterialCount) return 6;
  }
  for (let i = 0; i < 2 * S.fluxSegmentCount; i++)
    if (load<u32>(S.fluxSegmentNodes + ((<usize>i) << 2)) >= nn) return 6;
  for (let i = 0; i < S.fixedDofCount; i++) if (load<u32>(S.fixedDofs + ((<usize>i) << 2)) >= 2 * nn) return 6;
  return 0;
}

export function setupFinish(): i32 {
  let code = validateIndices();
  if (code != 0) return code;
  code = Diffusion.setupDiffusion();
  if (code != 0) return code;
  code = Mechanics.setupMechanics();
  if (code != 0) return code;
  ready = true;
  return 0;
}

// ---- addresses of the input arrays, per-step buffers and live fields ----
export function coordsPointer(): usize {
  return S.coords;
}
export function triNodesPointer(): usize {
  return S.triNodes;
}
export function triMaterialPointer(): usize {
  return S.triMaterial;
}
export function triAnglePointer(): usize {
  return S.triAngle;
}
export function materialParamsPointer(): usize {
  return S.materialParams;
}
export function latticeTablePointer(): usize {
  return S.latticeTable;
}
export function diffusionDofPointer(): usize {
  return S.diffusionDof;
}
export function interfaceNodesPointer(): usize {
  return S.interfaceNodes;
}
export function interfaceMaterialPointer(): usize {
  return S.interfaceMaterial;
}
export function interfaceParamsPointer(): usize {
  return S.interfaceParams;
}
export function fluxSegmentNodesPointer(): usize {
  return S.fluxSegmentNodes;
}
export function fixedDofsPointer(): usize {
  return S.fixedDofs;
}
export function segmentFluxPointer(): usize {
  return S.segmentFlux;
}
export function diffusionExtraPointer(): usize {
  return S.diffusionExtra;
}
export function prescribedPointer(): usize {
  return S.prescribed;
}
export function mechanicsExtraPointer(): usize {
  return S.mechanicsExtra;
}
export function liPointer(): usize {
  return S.li;
}
export function displacementPointer(): usize {
  return S.displacement;
}
export function damagePointer(): usize {
  return S.damage;
}
export function trialDamagePointer(): usize {
  return S.trialDamage;
}
export function kappaPointer(): usize {
  return S.kappa;
}
export function kappaRatePointer(): usize {
  return S.kappaRate;
}
export function openingPointer(): usize {
  return S.opening;
}
export function tractionPointer(): usize {
  return S.traction;
}
export function stressPointer(): usize {
  return S.stress;
}

// ---- diffusion ----
export function diffusionStep(dt: f64, hasExtra: i32): i32 {
  if (!ready) return 7;
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
/** PCG iterations allowed with a stale diffusion factor before refactorising (0: always refactor). */
export function setDiffusionStaleIterations(iterations: i32): void {
  Diffusion.setDiffusionStaleIterations(iterations);
}

// ---- mechanics ----
/** scheme: 0 = implicit damage-secant iteration, 1 = IMPL-EX (one linear solve, see mechanics.ts). */
export function mechanicsSolve(
  dt: f64,
  maxIterations: i32,
  tolerance: f64,
  hasPrescribed: i32,
  hasExtra: i32,
  scheme: i32,
): i32 {
  if (!ready) return 7;
  return Mechanics.mechanicsSolve(dt, maxIterations, tolerance, hasPrescribed != 0, hasExtra != 0, scheme != 0);
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
  return Mechanics.factorizationCount;
}
/** Factorisation cost in PCG iterations for the ski-rental refactorisation rule; < 0: the built-in model. */
export function setRefactorThreshold(iterations: i32): void {
  Mechanics.setRefactorThreshold(iterations);
}
export function refactorCostInSolves(): f64 {
  return Mechanics.refactorCostInSolves();
}
/** Calibration of the refactorisation cost model (bench only): flop ratio, one factorisation, one solve. */
export function mechanicsFactorToSolveFlopRatio(): f64 {
  return ready ? Mechanics.factorToSolveFlopRatio() : 0;
}
export function diagnosticMechanicsFactor(): i32 {
  return ready && Mechanics.diagnosticFactor() ? 1 : 0;
}
export function diagnosticMechanicsSolve(): void {
  if (ready) Mechanics.diagnosticSolve();
}

// ---- state ----
export function commitDamage(): void {
  const nq = 2 * S.interfaceCount;
  copyF64(S.damage, S.trialDamage, nq);
  copyF64(S.kappa, S.trialKappa, nq);
  copyF64(S.kappaRate, S.trialKappaRate, nq);
}
export function saveState(): void {
  const nq = 2 * S.interfaceCount;
  copyF64(S.backupLi, S.li, S.diffusionDofCount);
  copyF64(S.backupDisplacement, S.displacement, 2 * S.nodeCount);
  copyF64(S.backupDamage, S.damage, nq);
  copyF64(S.backupKappa, S.kappa, nq);
  copyF64(S.backupKappaRate, S.kappaRate, nq);
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
