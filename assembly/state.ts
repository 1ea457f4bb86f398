/**
 * The scenario held by one kernel instance: sizes, input arrays copied from the host, derived per-element data,
 * the live fields and the committed/trial damage state. All pointers are into the arena (`memory.ts`), set in
 * `setup` and never reallocated until the next `setup`.
 */
import { allocF64, allocI32 } from './memory';
import {
  ARRAY_COUNT,
  ARRAY_COORDS,
  ARRAY_TRI_NODES,
  ARRAY_TRI_MATERIAL,
  ARRAY_MATERIAL_PARAMS,
  ARRAY_LATTICE_TABLE,
  ARRAY_DIFFUSION_DOF,
  ARRAY_INTERFACE_NODES,
  ARRAY_INTERFACE_MATERIAL,
  ARRAY_INTERFACE_PARAMS,
  ARRAY_FLUX_SEGMENT_NODES,
  ARRAY_FIXED_DOFS,
  ARRAY_SEGMENT_FLUX,
  ARRAY_DIFFUSION_EXTRA,
  ARRAY_PRESCRIBED,
  ARRAY_MECHANICS_EXTRA,
  ARRAY_LI,
  ARRAY_DISPLACEMENT,
  ARRAY_DAMAGE,
  ARRAY_TRIAL_DAMAGE,
  ARRAY_KAPPA,
  ARRAY_KAPPA_RATE,
  ARRAY_OPENING,
  ARRAY_TRACTION,
  ARRAY_STRESS,
  ARRAY_LAMBDA,
  MATERIAL_STRIDE,
  INTERFACE_STRIDE,
} from './abi';

// ---- sizes ----
export let nodeCount: i32 = 0;
export let triCount: i32 = 0;
export let materialCount: i32 = 0;
export let latticeTableLength: i32 = 0;
export let diffusionDofCount: i32 = 0;
export let interfaceCount: i32 = 0;
export let interfaceMaterialCount: i32 = 0;
export let fluxSegmentCount: i32 = 0;
export let fixedDofCount: i32 = 0;
/** Generalized plane strain: one uniform ε_zz with ∫σ_zz dA = 0 (mechanics.ts). */
export let generalizedPlaneStrain: bool = false;

export function setSizes(
  nodes: i32,
  tris: i32,
  materials: i32,
  tableLength: i32,
  diffDofs: i32,
  interfaces: i32,
  interfaceMaterials: i32,
  fluxSegments: i32,
  fixed: i32,
  generalized: bool,
): void {
  nodeCount = nodes;
  triCount = tris;
  materialCount = materials;
  latticeTableLength = tableLength;
  diffusionDofCount = diffDofs;
  interfaceCount = interfaces;
  interfaceMaterialCount = interfaceMaterials;
  fluxSegmentCount = fluxSegments;
  fixedDofCount = fixed;
  generalizedPlaneStrain = generalized;
}

// ---- inputs (host writes them between setupBegin and setupFinish) ----
/** f64[2 nodeCount] (µm). */
export let coords: usize = 0;
/** u32[3 triCount], counter-clockwise. */
export let triNodes: usize = 0;
/** u32[triCount]: index of the triangle's oriented material record. */
export let triMaterial: usize = 0;
/** f64[MATERIAL_STRIDE materialCount]: the material records, slots MATERIAL_* of abi.ts. */
export let materialParams: usize = 0;
export let latticeTable: usize = 0;
/** u32[nodeCount]. */
export let diffusionDof: usize = 0;
/** u32[4 interfaceCount] [a0, a1, b0, b1]. */
export let interfaceNodes: usize = 0;
/** u32[interfaceCount]. */
export let interfaceMaterial: usize = 0;
/** f64[INTERFACE_STRIDE interfaceMaterialCount]: the interface records, slots INTERFACE_* of abi.ts. */
export let interfaceParams: usize = 0;
/** u32[2 fluxSegmentCount]. */
export let fluxSegmentNodes: usize = 0;
/** u32[fixedDofCount]. */
export let fixedDofs: usize = 0;

// ---- per-step inputs written by the host ----
/** f64[fluxSegmentCount] q per segment (µm/s, > 0 leaving). */
export let segmentFlux: usize = 0;
/** f64[diffusionDofCount] extra diffusion load. */
export let diffusionExtra: usize = 0;
/** f64[fixedDofCount] prescribed values. */
export let prescribed: usize = 0;
/** f64[2 nodeCount] extra nodal forces. */
export let mechanicsExtra: usize = 0;

// ---- live fields ----
/** f64[diffusionDofCount] Li site fraction. */
export let li: usize = 0;
/** f64[2 nodeCount] displacement (µm). */
export let displacement: usize = 0;
/** f64[2 interfaceCount] committed damage and history κ. */
export let damage: usize = 0;
export let kappa: usize = 0;
/** f64[2 interfaceCount] trial damage and history of the last mechanics solve. */
export let trialDamage: usize = 0;
export let trialKappa: usize = 0;
/** u8 as i32[2 interfaceCount]: 1 when the integration point is in contact (δn < 0). */
export let contact: usize = 0;
/** f64[4 interfaceCount] [δn, δs] and [Tn, Ts] per integration point. */
export let opening: usize = 0;
export let traction: usize = 0;
/** f64[4 triCount] [σxx, σyy, σxy, σ33]. */
export let stress: usize = 0;

/**
 * f64[2 interfaceCount] IMPL-EX history rate κ̇ = (κ_n − κ_{n−1}) / Δt_n of the last committed step (0 after an
 * implicit solve), and the trial value the current solve would commit. Part of the state the next step needs.
 */
export let kappaRate: usize = 0;
export let trialKappaRate: usize = 0;

/**
 * f64[2 interfaceCount] cohesive fatigue (docs/physics.md §9): the committed effective opening λ_n of the last
 * committed solve, and the trial λ of the current solve (from its final u). Part of the state the next step needs.
 */
export let lambda: usize = 0;
export let trialLambda: usize = 0;

// ---- backup (saveState / restoreState) ----
export let backupLi: usize = 0;
export let backupDisplacement: usize = 0;
export let backupDamage: usize = 0;
export let backupKappa: usize = 0;
export let backupKappaRate: usize = 0;
export let backupLambda: usize = 0;

/** Where each ABI array lives (id → address, element count, element bytes), for `arrayPointer` and friends. */
const arrayTable: usize = memory.data(ARRAY_COUNT * 16, 16);

function registered(id: i32, pointer: usize, count: i32, elementBytes: i32): usize {
  const o = arrayTable + ((<usize>id) << 4);
  store<usize>(o, pointer);
  store<i32>(o, count, 8);
  store<i32>(o, elementBytes, 12);
  return pointer;
}
function f64Array(id: i32, count: i32): usize {
  return registered(id, allocF64(count), count, 8);
}
function u32Array(id: i32, count: i32): usize {
  return registered(id, allocI32(count), count, 4);
}

/** Address of ABI array `id` (0 for an unknown id). */
export function arrayPointer(id: i32): usize {
  return id >= 0 && id < ARRAY_COUNT ? load<usize>(arrayTable + ((<usize>id) << 4)) : 0;
}
/** Element count of ABI array `id` (−1 for an unknown id). */
export function arrayLength(id: i32): i32 {
  return id >= 0 && id < ARRAY_COUNT ? load<i32>(arrayTable + ((<usize>id) << 4), 8) : -1;
}
/** Bytes per element of ABI array `id`: 8 (f64) or 4 (u32) (−1 for an unknown id). */
export function arrayElementBytes(id: i32): i32 {
  return id >= 0 && id < ARRAY_COUNT ? load<i32>(arrayTable + ((<usize>id) << 4), 12) : -1;
}

/**
 * Allocate every array of the scenario by name from the sizes of `setSizes` (arena freshly reset). The arrays the
 * host reads or writes are registered under their ABI ids; the rest are the kernel's own.
 */
export function allocateScenario(): void {
  const nq = 2 * interfaceCount;
  coords = f64Array(ARRAY_COORDS, 2 * nodeCount);
  triNodes = u32Array(ARRAY_TRI_NODES, 3 * triCount);
  triMaterial = u32Array(ARRAY_TRI_MATERIAL, triCount);
  materialParams = f64Array(ARRAY_MATERIAL_PARAMS, MATERIAL_STRIDE * materialCount);
  latticeTable = f64Array(ARRAY_LATTICE_TABLE, latticeTableLength);
  diffusionDof = u32Array(ARRAY_DIFFUSION_DOF, nodeCount);
  interfaceNodes = u32Array(ARRAY_INTERFACE_NODES, 4 * interfaceCount);
  interfaceMaterial = u32Array(ARRAY_INTERFACE_MATERIAL, interfaceCount);
  interfaceParams = f64Array(ARRAY_INTERFACE_PARAMS, INTERFACE_STRIDE * interfaceMaterialCount);
  fluxSegmentNodes = u32Array(ARRAY_FLUX_SEGMENT_NODES, 2 * fluxSegmentCount);
  fixedDofs = u32Array(ARRAY_FIXED_DOFS, fixedDofCount);

  segmentFlux = f64Array(ARRAY_SEGMENT_FLUX, fluxSegmentCount);
  diffusionExtra = f64Array(ARRAY_DIFFUSION_EXTRA, diffusionDofCount);
  prescribed = f64Array(ARRAY_PRESCRIBED, fixedDofCount);
  mechanicsExtra = f64Array(ARRAY_MECHANICS_EXTRA, 2 * nodeCount);

  li = f64Array(ARRAY_LI, diffusionDofCount);
  displacement = f64Array(ARRAY_DISPLACEMENT, 2 * nodeCount);
  damage = f64Array(ARRAY_DAMAGE, nq);
  kappa = f64Array(ARRAY_KAPPA, nq);
  trialDamage = f64Array(ARRAY_TRIAL_DAMAGE, nq);
  trialKappa = allocF64(nq);
  contact = allocI32(nq);
  opening = f64Array(ARRAY_OPENING, 2 * nq);
  traction = f64Array(ARRAY_TRACTION, 2 * nq);
  stress = f64Array(ARRAY_STRESS, 4 * triCount);
  kappaRate = f64Array(ARRAY_KAPPA_RATE, nq);
  trialKappaRate = allocF64(nq);
  lambda = f64Array(ARRAY_LAMBDA, nq);
  trialLambda = allocF64(nq);

  backupLi = allocF64(diffusionDofCount);
  backupDisplacement = allocF64(2 * nodeCount);
  backupDamage = allocF64(nq);
  backupKappa = allocF64(nq);
  backupKappaRate = allocF64(nq);
  backupLambda = allocF64(nq);
}

/** Address of the oriented material record (slots MATERIAL_* of abi.ts) of triangle t. */
export function materialRecordOf(t: i32): usize {
  return materialParams + <usize>(MATERIAL_STRIDE * load<i32>(triMaterial + ((<usize>t) << 2))) * 8;
}

/** Address of the interface-material record (slots INTERFACE_* of abi.ts) of interface element e. */
export function interfaceRecordOf(e: i32): usize {
  return interfaceParams + <usize>(INTERFACE_STRIDE * load<i32>(interfaceMaterial + ((<usize>e) << 2))) * 8;
}

/** Slot `slot` of an f64 record or block: a MATERIAL_* or INTERFACE_* slot, or a FRAME_* slot of cohesive.ts. */
export function field(record: usize, slot: i32): f64 {
  return load<f64>(record + ((<usize>slot) << 3));
}
