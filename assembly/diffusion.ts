/**
 * Li diffusion, backward Euler with consistent mass (docs/physics.md §3):
 *
 *   (M + Δt K_D) x¹ = M x⁰ − Δt f_q + Δt f_extra,
 *   M_e = A/12 [2 1 1; 1 2 1; 1 1 2],   K_e,ij = A ∇N_iᵀ D_g ∇N_j,
 *   D_g the in-plane block of D = D_ab (I − n nᵀ) + D_c n nᵀ (n the grain's c-axis; oriented material record),
 *   f_q,i = Σ_segments q_s ∫ N_i ds = q_s L_s / 2 at each end node,
 *
 * plus, on interface node pairs whose sides carry distinct dofs, the conductance k (1 − D_p) L/2 (x_a − x_b)
 * (committed damage D_p at integration point p, Lobatto weight L/2).
 *
 * Concentration-dependent diffusivity (docs/physics.md §3.1, §8; material records with MATERIAL_D_FIT = 1): the
 * element's D is the record's tensor times φ(x̄_e) (abi.ts), x̄_e the element mean of x at the start of the step,
 * so K_D = K_D(x⁰) is lagged by one step (semi-implicit; first order in Δt like backward Euler itself) and the
 * step stays one linear solve that conserves Li exactly (the rows of every K_e sum to zero whatever φ is).
 *
 * The pattern and M are built once at setup, K_D too for constant D. With D(x), K_D is reassembled from the
 * element matrices stored at setup whenever some φ changed. The system matrix changes with Δt, with D(x) and,
 * with conducting interfaces, the committed damage. While it is unchanged the factor is reused (a step costs one
 * triangular solve pair plus one residual check). On the step where it changes, the old factor preconditions PCG (the stale-factor
 * solver of `stale-factor.ts` with a fixed budget of `DIFFUSION_STALE_MAX_PCG` iterations); the matrix is
 * refactorised when that budget does not suffice or when the new matrix is still in use on the next step.
 */
import { SparsePattern, Cholesky, spmv } from './solver-link';
import { allocF64, allocI32, copyF64 } from './memory';
import { StaleFactorSolver, FixedBudgetPolicy, SOLVE_FACTOR_FAILED, SOLVE_NOT_FINITE } from './stale-factor';
import { vertexGraph } from './pattern';
import { triangleGeometry, segmentLength, triangleNode, TRIANGLE_BLOCK_BYTES } from './triangle';
import {
  MATERIAL_D_XX,
  MATERIAL_D_XY,
  MATERIAL_D_YY,
  MATERIAL_D_FIT,
  MATERIAL_D_FIT_SCALE,
  MATERIAL_D_FIT_C0,
  MATERIAL_D_FIT_A,
  MATERIAL_D_FIT_B,
  MATERIAL_D_FIT_C,
  MATERIAL_D_FIT_S_MIN,
  MATERIAL_D_FIT_S_MAX,
  INTERFACE_CONDUCTANCE,
  ERROR_NONE,
  ERROR_TRIANGLE_AREA,
  ERROR_DIFFUSION_FACTOR,
  ERROR_DIFFUSION_NOT_FINITE,
} from './abi';
import * as S from './state';

export const DIFFUSION_RTOL: f64 = 1e-13;
/** PCG iterations allowed with a stale factor before refactorising (measured: bench/kernel.ts). */
export const DIFFUSION_STALE_MAX_PCG: i32 = 6;

let pattern: SparsePattern | null = null;
let factor: Cholesky | null = null;
let solver: StaleFactorSolver | null = null;
/** f64[nnz]: consistent mass, conductivity stiffness, system matrix of the last factorisation. */
let massValues: usize = 0;
let stiffnessValues: usize = 0;
let systemValues: usize = 0;
/** i32[4 per interface pair]: positions (aa, bb, ab, ba) of the conductance, −1 when a and b share a dof. */
let conductancePos: usize = 0;
let conductingPairs: i32 = 0;
/** f64[2 interfaceCount]: the committed damage `systemValues` was assembled with. */
let assembledDamage: usize = 0;
/** Δt `systemValues` was assembled with (−1: not assembled). */
let assembledDt: f64 = -1;
let rhs: usize = 0;
/** True when some triangle's material has a concentration-dependent D (MATERIAL_D_FIT = 1). */
let anyFit: bool = false;
/** f64[triCount]: the factor φ each triangle's K_e entered `stiffnessValues` with (1 for constant D). */
let assembledScale: usize = 0;
/** f64[9 triCount]: each triangle's K_e at φ = 1 (row-major 3×3); i32[9 triCount]: its pattern positions. */
let elementStiffness: usize = 0;
let elementPositions: usize = 0;
/**
 * Geometry block of the current triangle (triangle.ts layout: ∂N/∂x at slots 0..2, ∂N/∂y at 3..5); the element
 * routine overwrites its node ids (bytes 48..59) with the nodes' diffusion dofs.
 */
const scratch: usize = memory.data(TRIANGLE_BLOCK_BYTES, 16);

// report of the last step
export let lastIterations: i32 = 0;
export let lastResidual: f64 = 0;
export let lastRefactored: bool = false;

export function diffusionFactorBytes(): f64 {
  return factor != null ? <f64>factor!.bytes() : 0;
}

export function diffusionPattern(): SparsePattern {
  return pattern!;
}

/**
 * D_ab(x) / D_ab of the record: φ = scale · 10^(c0 + Σ_k a_k exp(−(s − b_k)²/c_k)), s = x clamped to the fit's
 * window [s_min, s_max] (abi.ts MATERIAL_D_FIT; the O'Regan 2022 NMC811 fit, docs/physics.md §8). Mirrored by
 * `diffusivityScale` in src/engine/ts-kernel/diffusion.ts.
 */
export function diffusivityScale(mp: usize, x: f64): f64 {
  const s = min(max(x, S.field(mp, MATERIAL_D_FIT_S_MIN)), S.field(mp, MATERIAL_D_FIT_S_MAX));
  let e = S.field(mp, MATERIAL_D_FIT_C0);
  for (let k = 0; k < 3; k++) {
    const d = s - S.field(mp, MATERIAL_D_FIT_B + k);
    e += S.field(mp, MATERIAL_D_FIT_A + k) * Math.exp(-(d * d) / S.field(mp, MATERIAL_D_FIT_C + k));
  }
  return S.field(mp, MATERIAL_D_FIT_SCALE) * Math.pow(10.0, e);
}

/**
 * Add the element matrices of every triangle into M and K_D (pattern positions through `find`); with D(x)
 * (`anyFit`) also keep each K_e and its positions for the reassembly. Returns ERROR_NONE, or ERROR_TRIANGLE_AREA
 * when a triangle has non-positive area.
 */
export function assembleDiffusion(A: SparsePattern, mass: usize, stiffness: usize): i32 {
  for (let t = 0; t < S.triCount; t++) {
    const area = triangleGeometry(scratch, t);
    if (!(area > 0)) return ERROR_TRIANGLE_AREA;
    const mp = S.materialRecordOf(t);
    // the in-plane block of D = D_ab (I − n nᵀ) + D_c n nᵀ, rotated by the host (oriented-materials.ts)
    const kxx = S.field(mp, MATERIAL_D_XX);
    const kxy = S.field(mp, MATERIAL_D_XY);
    const kyy = S.field(mp, MATERIAL_D_YY);
    // scratch: g = [gx0 gx1 gx2 gy0 gy1 gy2], then the three nodes' diffusion dofs in place of the node ids
    for (let i = 0; i < 3; i++) {
      const dof = load<i32>(S.diffusionDof + ((<usize>triangleNode(scratch, i)) << 2));
      store<i32>(scratch + 48 + ((<usize>i) << 2), dof);
    }
    for (let i = 0; i < 3; i++) {
      const gxi = load<f64>(scratch + ((<usize>i) << 3));
      const gyi = load<f64>(scratch + ((<usize>(i + 3)) << 3));
      const fx = kxx * gxi + kxy * gyi;
      const fy = kxy * gxi + kyy * gyi;
      const di = load<i32>(scratch + 48 + ((<usize>i) << 2));
      for (let j = 0; j < 3; j++) {
        const pos = A.find(di, load<i32>(scratch + 48 + ((<usize>j) << 2)));
        const kij =
          area * (fx * load<f64>(scratch + ((<usize>j) << 3)) + fy * load<f64>(scratch + ((<usize>(j + 3)) << 3)));
        const mij = i == j ? area / 6.0 : area / 12.0;
        if (anyFit) {
          const o = <usize>(9 * t + 3 * i + j);
          store<f64>(elementStiffness + (o << 3), kij);
          store<i32>(elementPositions + (o << 2), pos);
        }
        store<f64>(stiffness + ((<usize>pos) << 3), load<f64>(stiffness + ((<usize>pos) << 3)) + kij);
        store<f64>(mass + ((<usize>pos) << 3), load<f64>(mass + ((<usize>pos) << 3)) + mij);
      }
    }
  }
  return ERROR_NONE;
}

/** Build pattern, M, K_D, conductance positions, work arrays and the factor's analysis. Returns an error code. */
export function setupDiffusion(): i32 {
  const n = S.diffusionDofCount;
  const A = vertexGraph(n, S.diffusionDof, true);
  pattern = A;
  massValues = allocF64(A.nnz);
  stiffnessValues = allocF64(A.nnz);
  systemValues = allocF64(A.nnz);
  anyFit = false;
  for (let t = 0; t < S.triCount; t++) if (S.field(S.materialRecordOf(t), MATERIAL_D_FIT) != 0) anyFit = true;
  if (anyFit) {
    assembledScale = allocF64(S.triCount);
    for (let t = 0; t < S.triCount; t++) store<f64>(assembledScale + ((<usize>t) << 3), 1.0);
    elementStiffness = allocF64(9 * S.triCount);
    elementPositions = allocI32(9 * S.triCount);
  }
  const err = assembleDiffusion(A, massValues, stiffnessValues);
  if (err != ERROR_NONE) return err;
  // conductance positions per interface pair
  conductancePos = allocI32(8 * max(S.interfaceCount, 1));
  conductingPairs = 0;
  for (let e = 0; e < S.interfaceCount; e++) {
    const en = S.interfaceNodes + <usize>(4 * e) * 4;
    for (let p = 0; p < 2; p++) {
      const da = load<i32>(S.diffusionDof + ((<usize>load<i32>(en + ((<usize>p) << 2))) << 2));
      const db = load<i32>(S.diffusionDof + ((<usize>load<i32>(en + ((<usize>(2 + p)) << 2))) << 2));
      const cp = conductancePos + <usize>(4 * (2 * e + p)) * 4;
      if (da == db) {
        store<i32>(cp, -1);
        store<i32>(cp, -1, 4);
        store<i32>(cp, -1, 8);
        store<i32>(cp, -1, 12);
      } else {
        store<i32>(cp, A.find(da, da));
        store<i32>(cp, A.find(db, db), 4);
        store<i32>(cp, A.find(da, db), 8);
        store<i32>(cp, A.find(db, da), 12);
        conductingPairs++;
      }
    }
  }
  assembledDamage = allocF64(2 * S.interfaceCount);
  assembledDt = -1;
  rhs = allocF64(n);
  // dof coordinates for the ordering: the position of any node carrying the dof
  const dofCoords = allocF64(2 * n);
  for (let i = 0; i < S.nodeCount; i++) {
    const d = load<i32>(S.diffusionDof + ((<usize>i) << 2));
    copyF64(dofCoords + ((<usize>d) << 4), S.coords + ((<usize>i) << 4), 2);
  }
  const F = new Cholesky();
  F.analyse(A, dofCoords);
  factor = F;
  solver = new StaleFactorSolver(A, F, DIFFUSION_RTOL, new FixedBudgetPolicy(DIFFUSION_STALE_MAX_PCG));
  return ERROR_NONE;
}

/** True when the committed damage on a conducting pair differs from the one in `systemValues`. */
function conductanceChanged(): bool {
  if (conductingPairs == 0) return false;
  for (let q = 0; q < 2 * S.interfaceCount; q++) {
    if (load<i32>(conductancePos + <usize>(4 * q) * 4) < 0) continue;
    if (load<f64>(S.damage + ((<usize>q) << 3)) != load<f64>(assembledDamage + ((<usize>q) << 3))) return true;
  }
  return false;
}

/**
 * D(x): φ of every triangle from the element mean of x (the state at the start of the step); when any φ differs
 * from the one K_D holds, K_D = Σ_e φ_e K_e is reassembled (same order as at setup: φ = 1 gives the setup K_D to
 * the bit). Returns true when K_D changed. Allocation-free.
 */
function updateConductivity(): bool {
  if (!anyFit) return false;
  let changed = false;
  for (let t = 0; t < S.triCount; t++) {
    const mp = S.materialRecordOf(t);
    if (S.field(mp, MATERIAL_D_FIT) == 0) continue;
    const tn = S.triNodes + <usize>(3 * t) * 4;
    let xSum = 0.0;
    for (let i = 0; i < 3; i++) {
      const dof = load<i32>(S.diffusionDof + ((<usize>load<i32>(tn + ((<usize>i) << 2))) << 2));
      xSum += load<f64>(S.li + ((<usize>dof) << 3));
    }
    const phi = diffusivityScale(mp, xSum / 3.0);
    if (phi != load<f64>(assembledScale + ((<usize>t) << 3))) {
      store<f64>(assembledScale + ((<usize>t) << 3), phi);
      changed = true;
    }
  }
  if (!changed) return false;
  const nnz = pattern!.nnz;
  for (let k = 0; k < nnz; k++) store<f64>(stiffnessValues + ((<usize>k) << 3), 0.0);
  for (let t = 0; t < S.triCount; t++) {
    const phi = load<f64>(assembledScale + ((<usize>t) << 3));
    for (let k = 0; k < 9; k++) {
      const o = <usize>(9 * t + k);
      const p = stiffnessValues + ((<usize>load<i32>(elementPositions + (o << 2))) << 3);
      store<f64>(p, load<f64>(p) + phi * load<f64>(elementStiffness + (o << 3)));
    }
  }
  return true;
}

/** systemValues = M + Δt K_D + Δt Σ k (1 − D_p) L/2 [1 −1; −1 1] (committed damage). */
function assembleSystem(dt: f64): void {
  const A = pattern!;
  const nnz = A.nnz;
  for (let k = 0; k < nnz; k++) {
    const o = (<usize>k) << 3;
    store<f64>(systemValues + o, load<f64>(massValues + o) + dt * load<f64>(stiffnessValues + o));
  }
  if (conductingPairs > 0) {
    for (let e = 0; e < S.interfaceCount; e++) {
      const en = S.interfaceNodes + <usize>(4 * e) * 4;
      const kc = S.field(S.interfaceRecordOf(e), INTERFACE_CONDUCTANCE);
      const L = segmentLength(load<i32>(en), load<i32>(en, 4));
      for (let p = 0; p < 2; p++) {
        const q = 2 * e + p;
        const cp = conductancePos + <usize>(4 * q) * 4;
        const paa = load<i32>(cp);
        if (paa < 0) continue;
        const D = load<f64>(S.damage + ((<usize>q) << 3));
        store<f64>(assembledDamage + ((<usize>q) << 3), D);
        const g = dt * kc * (1.0 - D) * 0.5 * L;
        const pbb = load<i32>(cp, 4);
        const pab = load<i32>(cp, 8);
        const pba = load<i32>(cp, 12);
        store<f64>(systemValues + ((<usize>paa) << 3), load<f64>(systemValues + ((<usize>paa) << 3)) + g);
        store<f64>(systemValues + ((<usize>pbb) << 3), load<f64>(systemValues + ((<usize>pbb) << 3)) + g);
        store<f64>(systemValues + ((<usize>pab) << 3), load<f64>(systemValues + ((<usize>pab) << 3)) - g);
        store<f64>(systemValues + ((<usize>pba) << 3), load<f64>(systemValues + ((<usize>pba) << 3)) - g);
      }
    }
  }
  // a dof that no triangle touches gets a unit diagonal (keeps the system regular)
  for (let i = 0; i < A.n; i++) {
    const pos = A.find(i, i);
    if (load<f64>(systemValues + ((<usize>pos) << 3)) == 0) store<f64>(systemValues + ((<usize>pos) << 3), 1.0);
  }
  assembledDt = dt;
}

/**
 * One backward-Euler step of x (in place). `hasExtra`: add Δt · diffusionExtra. Returns ERROR_NONE, or
 * ERROR_DIFFUSION_FACTOR when the factorisation failed, ERROR_DIFFUSION_NOT_FINITE when the solve is not finite.
 */
export function diffusionStep(dt: f64, hasExtra: bool): i32 {
  const A = pattern!;
  const n = A.n;
  const linear = solver!;
  const factorizationsBefore = linear.factorizations;
  // The matrix changes with Δt and (crack-blocked diffusion) the committed damage. A new Δt is refactorised at
  // once (measured: PCG with the factor of the old Δt needs 11–20 iterations for Δt ratios 1.5–2, each costing
  // about 1/7 of a factorisation). A damage-only change is a low-rank update: the old factor preconditions PCG,
  // and the matrix is refactorised when that needs more than `DIFFUSION_STALE_MAX_PCG` iterations or when the new
  // matrix is still in use on the next step.
  // D(x) (Picard-lagged): K_D from the x of the start of the step; a change is a slow one, handled like damage
  const dtChanged = dt != assembledDt;
  const conductivityChanged = updateConductivity();
  const changed = dtChanged || conductivityChanged || conductanceChanged();
  if (changed) {
    assembleSystem(dt);
    linear.matrixChanged();
  }
  if (!linear.factored || dtChanged || (!changed && !linear.exact)) {
    if (!linear.refactor(systemValues)) {
      lastRefactored = true;
      return ERROR_DIFFUSION_FACTOR;
    }
  }
  // rhs = M x⁰ − Δt f_q (+ Δt f_extra)
  spmv(A, massValues, S.li, rhs);
  for (let s = 0; s < S.fluxSegmentCount; s++) {
    const sn = S.fluxSegmentNodes + <usize>(2 * s) * 4;
    const a = load<i32>(sn);
    const b = load<i32>(sn, 4);
    const half = 0.5 * dt * load<f64>(S.segmentFlux + ((<usize>s) << 3)) * segmentLength(a, b);
    const da = (<usize>load<i32>(S.diffusionDof + ((<usize>a) << 2))) << 3;
    const db = (<usize>load<i32>(S.diffusionDof + ((<usize>b) << 2))) << 3;
    store<f64>(rhs + da, load<f64>(rhs + da) - half);
    store<f64>(rhs + db, load<f64>(rhs + db) - half);
  }
  if (hasExtra) {
    for (let i = 0; i < n; i++) {
      const o = (<usize>i) << 3;
      store<f64>(rhs + o, load<f64>(rhs + o) + dt * load<f64>(S.diffusionExtra + o));
    }
  }
  // solve with the factor (exact or stale) as the initial guess, then PCG preconditioned by it: 0 iterations when
  // the factor is exact (residual check), a few when it is stale
  const status = linear.solve(systemValues, rhs, S.li, true);
  lastIterations = linear.iterations;
  lastResidual = linear.residual;
  lastRefactored = linear.factorizations != factorizationsBefore;
  if (status == SOLVE_FACTOR_FAILED) return ERROR_DIFFUSION_FACTOR;
  if (status == SOLVE_NOT_FINITE || !isFinite(lastResidual)) return ERROR_DIFFUSION_NOT_FINITE;
  return ERROR_NONE;
}

/** Drop the factor and the assembled system: the state right after `setupDiffusion`. */
export function resetDiffusionCaches(): void {
  solver!.reset();
  assembledDt = -1;
}

/** ∫ x dA = 1ᵀ M x (consistent mass; row sums of M_e are A/3). */
export function liIntegral(): f64 {
  const A = pattern!;
  let sum = 0.0;
  for (let i = 0; i < A.n; i++) {
    const k0 = load<i32>(A.rowPtr + ((<usize>i) << 2));
    const k1 = load<i32>(A.rowPtr + ((<usize>(i + 1)) << 2));
    let row = 0.0;
    for (let k = k0; k < k1; k++) row += load<f64>(massValues + ((<usize>k) << 3));
    sum += row * load<f64>(S.li + ((<usize>i) << 3));
  }
  return sum;
}
