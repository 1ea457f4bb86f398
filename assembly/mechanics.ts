/**
 * Quasi-static equilibrium with lithiation eigenstrain and cohesive interfaces (damage-secant iteration).
 *
 *   K(D, contact) u = f_L(x) + f_extra,   K = K_bulk + Σ_points (L/2) k_secant,
 *
 * reduced to the free dofs: fixed dofs are eliminated and their prescribed values moved to the right-hand side
 * (b_free −= K_free,fixed u_fixed). K_bulk (values on the reduced pattern and the free–fixed coupling as a
 * coordinate list) is assembled once at setup; each secant iteration restores K_bulk at the cohesive positions
 * and adds the cohesive blocks there (precomputed positions): O(interfaces), not O(nnz).
 * The damage update follows the contract: Aitken-relaxed fixed-point iteration on D (`relaxDamage`), or IMPL-EX
 * (one solve with the damage extrapolated from κ and κ̇ of the last step, `extrapolateDamage`; docs/solver.md).
 *
 * Linear solves: the stale-factor solver (`stale-factor.ts`) with the ski-rental policy: PCG (rtol 1e-14, see
 * MECHANICS_RTOL) preconditioned with the Cholesky factor of the last factorised matrix, warm started from the
 * current u. With the exact factor PCG takes one iteration (the cost of a direct solve); every iteration beyond
 * that is the price of a stale factor, and the stale iterations since the last factorisation may add up to the
 * cost of one factorisation in solve units before the matrix is refactorised.
 * Generalized plane strain (S.generalizedPlaneStrain, physics §7): one more unknown, the uniform axial strain ε_zz,
 * with σ_p += c ε_zz, σ_zz = cᵀε_p + c_zz ε_zz + s33a ε_a + s33c ε_c per triangle (c = C_p,zz) and ∫σ_zz dA = 0.
 * With b = Σ_e A Bᵀ c, k_zz = Σ_e A c_zz and h = Σ_e A (s33a ε_a + s33c ε_c): K u + b ε_zz = f, bᵀu + k_zz ε_zz + h = 0,
 * solved on the same factor by a Schur complement: K u1 = f, K u2 = b, ε_zz = −(bᵀu1 + b_fixedᵀu_fixed + h) /
 * (k_zz − bᵀu2), u = u1 − ε_zz u2 (two solves per linear system; the TS oracle does the same).
 * The factorisation cost comes from a deterministic model (no clocks: runs stay bit-reproducible):
 *   cost_factor / cost_solve = SOLVE_TO_FACTOR_FLOP_RATE · Σ_columns |L_j|² / (4 nnz(L)),
 * the flop ratio of the symbolic factor scaled by the measured speed ratio of the two dense kernels.
 */
import { SparsePattern, Cholesky } from './solver-link';
import { StaleFactorSolver, SkiRentalPolicy, SOLVE_OK } from './stale-factor';
import { allocF64, allocI32, copyF64 } from './memory';
import { vertexGraph, blockPattern } from './pattern';
import { triangleGeometry, triangleNode, gradX, gradY, TRIANGLE_BLOCK_BYTES } from './triangle';
import { latticeStrainOfTriangle } from './elasticity';
import {
  MATERIAL_STIFFNESS_XX_XX,
  MATERIAL_STIFFNESS_XX_YY,
  MATERIAL_STIFFNESS_XX_XY,
  MATERIAL_STIFFNESS_YY_YY,
  MATERIAL_STIFFNESS_YY_XY,
  MATERIAL_STIFFNESS_XY_XY,
  MATERIAL_EIGENSTRESS_A,
  MATERIAL_EIGENSTRESS_C,
  MATERIAL_STRESS_ZZ,
  MATERIAL_STRESS_ZZ_A,
  MATERIAL_STRESS_ZZ_C,
} from './abi';
import {
  interfaceFrame,
  pointOpening,
  staticDamage,
  kappaOfDamage,
  fatigueDamageIncrement,
  stiffnessFactor,
  cohesiveTraction,
  FRAME_NX,
  FRAME_NY,
  FRAME_TX,
  FRAME_TY,
  FRAME_LENGTH,
  FRAME_BLOCK_BYTES,
} from './cohesive';
import { MATERIAL_STIFFNESS_ZZ, MATERIAL_STIFFNESS_ZZ_ZZ } from './abi';
import {
  INTERFACE_PENALTY,
  INTERFACE_STRENGTH,
  INTERFACE_FRACTURE_ENERGY,
  INTERFACE_DAMAGEABLE,
  INTERFACE_VISCOSITY,
  INTERFACE_FATIGUE_LENGTH,
  INTERFACE_FATIGUE_ENDURANCE,
  ERROR_NONE,
  ERROR_DUPLICATE_FIXED_DOF,
  ERROR_MECHANICS_SOLVE,
} from './abi';
import * as S from './state';

/** Caller-owned blocks for the element routines (static, 16-byte aligned; nothing is allocated in a step). */
const geometry: usize = memory.data(TRIANGLE_BLOCK_BYTES, 16);
const frame: usize = memory.data(FRAME_BLOCK_BYTES, 16);
/** [δn, δs] of one interface point. */
const openingPair: usize = memory.data(16, 16);
/** [Tn, Ts] of one interface point. */
const tractionPair: usize = memory.data(16, 16);
/** [ε_a, ε_c] of one triangle. */
const strainPair: usize = memory.data(16, 16);

/**
 * Default relative residual ‖f − K u‖/‖f‖ of the linear solves, used when the caller gives none (kernel-level
 * callers and tests). 1e-14 (not 1e-12) is what the kernel-vs-oracle agreement at 1e-10 needs: near a softening
 * instability dD/dλ ~ 1/λ0, so the damage amplifies solve errors; at 1e-13 the kernel-vs-oracle damage difference
 * reached 9.9e-11, at 1e-14 4e-12. Simulations pass `solver.mechanics_rtol` (default 1e-8, docs/solver.md: the
 * damage error that tolerance leaves is far below the IMPL-EX error per step, at a quarter less work).
 * Where round-off does not allow it (penalty-stiff systems) the attained floor is used (`stale-factor.ts`).
 */
export const MECHANICS_RTOL: f64 = 1e-14;
/**
 * Flop rate of the triangular solves relative to the factorisation (memory-bound gathers vs dense SIMD blocks);
 * measured by timing one factorisation against one solve (quarter disk, 10k–200k unknowns).
 */
export const SOLVE_TO_FACTOR_FLOP_RATE: f64 = 0.25;
/**
 * Bounds of the modelled cost. Isolated factor/solve timings gave ratios 7–12 (10k–200k unknowns). The floor was 16
 * while the implicit damage-secant iteration was the default (budgets 20–40 beat 3–10 there). Under IMPL-EX (one
 * solve per step, the matrix changes at every softening point every step) a CPU profile of the reference bare
 * charge (3.9k unknowns) puts one factorisation at ≈ 6 PCG iterations (2.8 ms vs 0.47 ms), and the operation
 * counts over the reference particles (bare, dense-porous, MF-coated; seeds 7 and 11) give, in iteration units,
 * floor 4 / 6 / 8 / 10 / 16: 16.7k / 14.9k / 13.4k / 14.2k / 14.4k for the bare particle (seed 7), and 6–7 % less
 * work at 8 than at 16 on all six runs; hence 8 (factorisations × 6 + PCG iterations).
 */
const FACTOR_COST_MIN: f64 = 8;
/**
 * Stale PCG solves precondition with a single-precision copy of the factor once nnz(L) reaches this (8 MB of f64):
 * the triangular solves stream the factor and are memory-bound when it outgrows the caches. Measured (one thread,
 * idle machine, alternated): full disk, 400 grains, h = 0.1 µm (1.87 M entries, 15 MB) to SoC 0.2: 40.1 vs 44.0 s,
 * the same 604 steps and 3,474 vs 3,458 PCG iterations; reference quarter (0.35 M entries, 2.8 MB): no gain, so
 * smaller factors keep no copy (and no extra memory).
 */
const SINGLE_COPY_MIN_FACTOR_ENTRIES: i64 = 1_000_000;
const FACTOR_COST_MAX: f64 = 40;
/**
 * When the stale factor is given up; its cost of a factorisation (in PCG iterations) is the model's. Created in
 * `setupMechanics` (arena memory: a new setup resets the arena).
 */
let refactorPolicy: SkiRentalPolicy | null = null;

let pattern: SparsePattern | null = null;
let factor: Cholesky | null = null;
let solver: StaleFactorSolver | null = null;
/** i32[2 nodeCount]: reduced index (≥ 0) of a free dof, −1 − (index in fixedDofs) of a fixed dof. */
let reducedIndex: usize = 0;
let freeCount: i32 = 0;
/** f64[16 per interface pair]: K_bulk at the cohesive block positions (restored before each secant assembly). */
let cohesiveBulk: usize = 0;
let systemValues: usize = 0;
/** Free–fixed coupling of K_bulk: row (reduced), fixed index, value. */
let couplingCount: i32 = 0;
let couplingRow: usize = 0;
let couplingFixed: usize = 0;
let couplingValue: usize = 0;
/** i32[16 per interface pair]: positions of the blocks (aa, bb, ab, ba) × (c1, c2), −1 when a dof is fixed. */
let cohesivePos: usize = 0;
let rhsBase: usize = 0;
let rhs: usize = 0;
let solution: usize = 0;
/**
 * IMPL-EX warm start, a solver cache like the factor (dropped with it, never checkpointed): the free u of the last
 * committed step, u_n, and its rate u̇_n = (u_n − u_{n−1}) / Δt_n. The PCG of the next step starts from
 * u_n + Δt u̇_n instead of u_n: the load (x) and the extrapolated damage move smoothly, so the start is closer to
 * u_{n+1} by about the step's change, and the stale-factor PCG needs fewer iterations to reach the same residual.
 * Only the start changes; the solution is the same to the tolerance.
 */
let committedSolution: usize = 0;
let solutionRate: usize = 0;
let committedSolutionKnown: bool = false;
let solutionRateKnown: bool = false;
/** Δt and scheme of the last solve (what a commit commits). */
let lastSolveDt: f64 = 0;
let lastSolveImplex: bool = false;
/** f64[fixedDofCount]: prescribed values of the current solve. */
let fixedValues: usize = 0;
/** Generalized plane strain: b over all dofs (f64[2 nodeCount]), its free part (f64[freeCount]), K u2 = b, k_zz. */
let axialCoupling: usize = 0;
let axialCouplingFree: usize = 0;
let axialSolution: usize = 0;
let axialStiffness: f64 = 0;

// report of the last solve
export let reportConverged: bool = false;
export let reportIterations: i32 = 0;
export let reportLinearIterations: i32 = 0;
export let reportMaxDamageChange: f64 = 0;
export let reportMaxDamageIncrement: f64 = 0;
export let reportSofteningPoints: i32 = 0;
export let reportRefactorizations: i32 = 0;
export let reportResidual: f64 = 0;
/** Linear systems solved in the last mechanicsSolve (one per secant iteration; 1 for IMPL-EX). */
export let reportLinearSolves: i32 = 0;
/** Generalized plane strain: ε_zz of the last solve (0 in the other sections). */
export let reportAxialStrain: f64 = 0;
/** IMPL-EX a posteriori error max |D_implicit − D_extrapolated| of the last solve (0 for the implicit scheme). */
export let reportExtrapolationError: f64 = 0;
/** Σ w |r| / Σ w over the damageable points (w = L/2) of the last damage update: the change of the mean damage. */
export let reportMeanDamageChange: f64 = 0;
/** Factorisations since setup. */
export function factorizationCount(): i32 {
  return solver!.factorizations;
}

export function mechanicsPattern(): SparsePattern {
  return pattern!;
}
export function mechanicsFactor(): Cholesky {
  return factor!;
}

export function refactorCostInSolves(): f64 {
  return refactorPolicy!.factorCostInSolves;
}

/**
 * Σ_j |L_j|² / (4 nnz(L)) from the supernodal structure (supernode s: nc columns, nr rows; column j of it has
 * nr − j entries), times SOLVE_TO_FACTOR_FLOP_RATE; at least 2.
 */
function modelFactorCost(): f64 {
  return min(FACTOR_COST_MAX, max(FACTOR_COST_MIN, SOLVE_TO_FACTOR_FLOP_RATE * factorToSolveFlopRatio()));
}

/** Σ_j |L_j|² / (4 nnz(L)): factorisation flops over triangular-solve flops of the mechanics factor. */
function factorToSolveFlopRatio(): f64 {
  const F = factor!;
  let factorFlops: f64 = 0;
  let nnzL: f64 = 0;
  for (let s = 0; s < F.nsuper; s++) {
    const nc = load<i32>(F.super + ((<usize>(s + 1)) << 2)) - load<i32>(F.super + ((<usize>s) << 2));
    const nr = load<i32>(F.rowPtr + ((<usize>(s + 1)) << 2)) - load<i32>(F.rowPtr + ((<usize>s) << 2));
    for (let j = 0; j < nc; j++) {
      const len = <f64>(nr - j);
      factorFlops += len * len;
      nnzL += len;
    }
  }
  return nnzL > 0 ? factorFlops / (4.0 * nnzL) : 0;
}

function dofIndex(node: i32, c: i32): i32 {
  return load<i32>(reducedIndex + ((<usize>(2 * node + c)) << 2));
}

/**
 * K_bulk: element stiffness A Bᵀ D_g B of every triangle into the reduced values (and the free–fixed coupling
 * list when `fill`); returns the number of free–fixed couplings.
 */
function assembleElasticity(A: SparsePattern, values: usize, fill: bool): i32 {
  let nc = 0;
  for (let t = 0; t < S.triCount; t++) {
    const area = triangleGeometry(geometry, t);
    const constants = S.materialRecordOf(t);
    const d00 = S.field(constants, MATERIAL_STIFFNESS_XX_XX),
      d01 = S.field(constants, MATERIAL_STIFFNESS_XX_YY),
      d02 = S.field(constants, MATERIAL_STIFFNESS_XX_XY);
    const d11 = S.field(constants, MATERIAL_STIFFNESS_YY_YY),
      d12 = S.field(constants, MATERIAL_STIFFNESS_YY_XY),
      d22 = S.field(constants, MATERIAL_STIFFNESS_XY_XY);
    for (let j = 0; j < 6; j++) {
      const nj = j >> 1;
      const cj = j & 1;
      const col = dofIndex(triangleNode(geometry, nj), cj);
      // B column j: [bx, by, bxy]
      const bx = cj == 0 ? gradX(geometry, nj) : 0.0;
      const by = cj == 0 ? 0.0 : gradY(geometry, nj);
      const bxy = cj == 0 ? gradY(geometry, nj) : gradX(geometry, nj);
      // D_g B_j
      const sx = d00 * bx + d01 * by + d02 * bxy;
      const sy = d01 * bx + d11 * by + d12 * bxy;
      const sxy = d02 * bx + d12 * by + d22 * bxy;
      for (let i = 0; i < 6; i++) {
        const ni = i >> 1;
        const ci = i & 1;
        const row = dofIndex(triangleNode(geometry, ni), ci);
        if (row < 0) continue;
        if (col < 0 && !fill) {
          nc++;
          continue;
        }
        const kij =
          ci == 0
            ? area * (gradX(geometry, ni) * sx + gradY(geometry, ni) * sxy)
            : area * (gradY(geometry, ni) * sy + gradX(geometry, ni) * sxy);
        if (col >= 0) {
          const pos = A.find(row, col);
          store<f64>(values + ((<usize>pos) << 3), load<f64>(values + ((<usize>pos) << 3)) + kij);
        } else {
          store<i32>(couplingRow + ((<usize>nc) << 2), row);
          store<i32>(couplingFixed + ((<usize>nc) << 2), -1 - col);
          store<f64>(couplingValue + ((<usize>nc) << 3), kij);
          nc++;
        }
      }
    }
  }
  return nc;
}

/** Reduced numbering, patterns, K_bulk, cohesive positions, work arrays, factor analysis. Returns an error code. */
export function setupMechanics(): i32 {
  const nd = 2 * S.nodeCount;
  reducedIndex = allocI32(nd);
  for (let f = 0; f < S.fixedDofCount; f++) {
    const d = load<i32>(S.fixedDofs + ((<usize>f) << 2));
    if (load<i32>(reducedIndex + ((<usize>d) << 2)) != 0) return ERROR_DUPLICATE_FIXED_DOF;
    store<i32>(reducedIndex + ((<usize>d) << 2), -1 - f);
  }
  freeCount = 0;
  for (let d = 0; d < nd; d++) {
    if (load<i32>(reducedIndex + ((<usize>d) << 2)) == 0) {
      store<i32>(reducedIndex + ((<usize>d) << 2), freeCount);
      freeCount++;
    }
  }
  const graph = vertexGraph(S.nodeCount, 0, true);
  const A = blockPattern(graph, reducedIndex, freeCount);
  pattern = A;
  systemValues = allocF64(A.nnz);
  // count free–fixed couplings, then assemble
  const nc = assembleElasticity(A, systemValues, false);
  memory.fill(systemValues, 0, (<usize>A.nnz) << 3);
  couplingRow = allocI32(nc);
  couplingFixed = allocI32(nc);
  couplingValue = allocF64(nc);
  couplingCount = assembleElasticity(A, systemValues, true);
  // a free dof no triangle touches (isolated node) gets a unit diagonal
  for (let r = 0; r < freeCount; r++) {
    const pos = A.find(r, r);
    if (load<f64>(systemValues + ((<usize>pos) << 3)) == 0) store<f64>(systemValues + ((<usize>pos) << 3), 1.0);
  }
  // cohesive block positions
  cohesivePos = allocI32(32 * max(S.interfaceCount, 1));
  for (let e = 0; e < S.interfaceCount; e++) {
    const en = S.interfaceNodes + <usize>(4 * e) * 4;
    for (let p = 0; p < 2; p++) {
      const a = load<i32>(en + ((<usize>p) << 2));
      const b = load<i32>(en + ((<usize>(2 + p)) << 2));
      const cp = cohesivePos + <usize>(16 * (2 * e + p)) * 4;
      for (let blk = 0; blk < 4; blk++) {
        const I = blk == 0 || blk == 2 ? a : b;
        const J = blk == 0 || blk == 3 ? a : b;
        for (let c1 = 0; c1 < 2; c1++) {
          for (let c2 = 0; c2 < 2; c2++) {
            const r = dofIndex(I, c1);
            const s = dofIndex(J, c2);
            store<i32>(cp + ((<usize>(4 * blk + 2 * c1 + c2)) << 2), r >= 0 && s >= 0 ? A.find(r, s) : -1);
          }
        }
      }
    }
  }
  // K_bulk at the cohesive positions (the secant assembly restores them instead of copying all of K_bulk)
  cohesiveBulk = allocF64(32 * max(S.interfaceCount, 1));
  for (let k = 0; k < 32 * S.interfaceCount; k++) {
    const pos = load<i32>(cohesivePos + ((<usize>k) << 2));
    if (pos >= 0) store<f64>(cohesiveBulk + ((<usize>k) << 3), load<f64>(systemValues + ((<usize>pos) << 3)));
  }
  damageResidual = allocF64(max(2 * S.interfaceCount, 1));
  damageResidualPrev = allocF64(max(2 * S.interfaceCount, 1));
  rhsBase = allocF64(freeCount);
  rhs = allocF64(freeCount);
  solution = allocF64(freeCount);
  committedSolution = allocF64(freeCount);
  solutionRate = allocF64(freeCount);
  committedSolutionKnown = false;
  solutionRateKnown = false;
  fixedValues = allocF64(S.fixedDofCount);
  axialStiffness = 0;
  if (S.generalizedPlaneStrain) {
    axialCoupling = allocF64(2 * S.nodeCount);
    axialCouplingFree = allocF64(freeCount);
    axialSolution = allocF64(freeCount);
    for (let t = 0; t < S.triCount; t++) {
      const area = triangleGeometry(geometry, t);
      const record = S.materialRecordOf(t);
      const cx = S.field(record, MATERIAL_STIFFNESS_ZZ);
      const cy = S.field(record, MATERIAL_STIFFNESS_ZZ + 1);
      const cxy = S.field(record, MATERIAL_STIFFNESS_ZZ + 2);
      axialStiffness += area * S.field(record, MATERIAL_STIFFNESS_ZZ_ZZ);
      for (let i = 0; i < 3; i++) {
        const node = triangleNode(geometry, i);
        const ox = (<usize>(2 * node)) << 3;
        // (Bᵀ c) at node i: x row [∂x N, 0, ∂y N]·c, y row [0, ∂y N, ∂x N]·c
        store<f64>(
          axialCoupling + ox,
          load<f64>(axialCoupling + ox) + area * (gradX(geometry, i) * cx + gradY(geometry, i) * cxy),
        );
        store<f64>(
          axialCoupling + ox + 8,
          load<f64>(axialCoupling + ox + 8) + area * (gradY(geometry, i) * cy + gradX(geometry, i) * cxy),
        );
      }
    }
    for (let d = 0; d < 2 * S.nodeCount; d++) {
      const r = load<i32>(reducedIndex + ((<usize>d) << 2));
      if (r >= 0) store<f64>(axialCouplingFree + ((<usize>r) << 3), load<f64>(axialCoupling + ((<usize>d) << 3)));
    }
  }
  const dofCoords = allocF64(2 * freeCount);
  for (let i = 0; i < S.nodeCount; i++) {
    for (let c = 0; c < 2; c++) {
      const r = dofIndex(i, c);
      if (r >= 0) copyF64(dofCoords + ((<usize>r) << 4), S.coords + ((<usize>i) << 4), 2);
    }
  }
  const F = new Cholesky();
  F.singleCopyMinEntries = SINGLE_COPY_MIN_FACTOR_ENTRIES;
  F.analyse(A, dofCoords);
  factor = F;
  const policy = new SkiRentalPolicy();
  policy.factorCostInSolves = modelFactorCost();
  refactorPolicy = policy;
  solver = new StaleFactorSolver(A, F, MECHANICS_RTOL, policy);
  return ERROR_NONE;
}

/**
 * rhsBase = f_L(x) + f_extra − K_free,fixed u_fixed (free rows). Returns h = Σ_e A (s33a ε_a + s33c ε_c), the axial
 * force of the lattice strains (generalized plane strain; 0 otherwise).
 */
function assembleLoad(hasExtra: bool): f64 {
  let axialLoad = 0.0;
  memory.fill(rhsBase, 0, (<usize>freeCount) << 3);
  for (let t = 0; t < S.triCount; t++) {
    const area = triangleGeometry(geometry, t);
    latticeStrainOfTriangle(
      strainPair,
      t,
      triangleNode(geometry, 0),
      triangleNode(geometry, 1),
      triangleNode(geometry, 2),
    );
    const strainA = load<f64>(strainPair);
    const strainC = load<f64>(strainPair, 8);
    if (strainA == 0 && strainC == 0) continue;
    const constants = S.materialRecordOf(t);
    if (S.generalizedPlaneStrain)
      axialLoad +=
        area *
        (S.field(constants, MATERIAL_STRESS_ZZ_A) * strainA + S.field(constants, MATERIAL_STRESS_ZZ_C) * strainC);
    // σ⁰ = ε_a G_a + ε_c G_c (global Voigt)
    const sx =
      strainA * S.field(constants, MATERIAL_EIGENSTRESS_A) + strainC * S.field(constants, MATERIAL_EIGENSTRESS_C);
    const sy =
      strainA * S.field(constants, MATERIAL_EIGENSTRESS_A + 1) +
      strainC * S.field(constants, MATERIAL_EIGENSTRESS_C + 1);
    const sxy =
      strainA * S.field(constants, MATERIAL_EIGENSTRESS_A + 2) +
      strainC * S.field(constants, MATERIAL_EIGENSTRESS_C + 2);
    for (let i = 0; i < 3; i++) {
      const node = triangleNode(geometry, i);
      const rx = dofIndex(node, 0);
      const ry = dofIndex(node, 1);
      if (rx >= 0) {
        const o = (<usize>rx) << 3;
        store<f64>(rhsBase + o, load<f64>(rhsBase + o) + area * (gradX(geometry, i) * sx + gradY(geometry, i) * sxy));
      }
      if (ry >= 0) {
        const o = (<usize>ry) << 3;
        store<f64>(rhsBase + o, load<f64>(rhsBase + o) + area * (gradY(geometry, i) * sy + gradX(geometry, i) * sxy));
      }
    }
  }
  if (hasExtra) {
    for (let d = 0; d < 2 * S.nodeCount; d++) {
      const r = load<i32>(reducedIndex + ((<usize>d) << 2));
      if (r >= 0) {
        const o = (<usize>r) << 3;
        store<f64>(rhsBase + o, load<f64>(rhsBase + o) + load<f64>(S.mechanicsExtra + ((<usize>d) << 3)));
      }
    }
  }
  for (let k = 0; k < couplingCount; k++) {
    const r = load<i32>(couplingRow + ((<usize>k) << 2));
    const f = load<i32>(couplingFixed + ((<usize>k) << 2));
    const o = (<usize>r) << 3;
    store<f64>(
      rhsBase + o,
      load<f64>(rhsBase + o) -
        load<f64>(couplingValue + ((<usize>k) << 3)) * load<f64>(fixedValues + ((<usize>f) << 3)),
    );
  }
  return axialLoad;
}

/**
 * systemValues = K_bulk + Σ (L/2) k_secant(D_trial, contact); rhs = rhsBase − (cohesive free–fixed coupling).
 * K_bulk is assembled into systemValues once at setup; only the cohesive positions change afterwards.
 */
function assembleSecant(): void {
  copyF64(rhs, rhsBase, freeCount);
  // systemValues holds K_bulk everywhere except at cohesive positions: restore those first (positions are shared
  // between neighbouring interface pairs, so all restores precede all additions)
  for (let k = 0; k < 32 * S.interfaceCount; k++) {
    const pos = load<i32>(cohesivePos + ((<usize>k) << 2));
    if (pos >= 0) store<f64>(systemValues + ((<usize>pos) << 3), load<f64>(cohesiveBulk + ((<usize>k) << 3)));
  }
  for (let e = 0; e < S.interfaceCount; e++) {
    const K = S.field(S.interfaceRecordOf(e), INTERFACE_PENALTY);
    interfaceFrame(frame, e);
    const w = 0.5 * S.field(frame, FRAME_LENGTH);
    const frameNx = S.field(frame, FRAME_NX);
    const frameNy = S.field(frame, FRAME_NY);
    const frameTx = S.field(frame, FRAME_TX);
    const frameTy = S.field(frame, FRAME_TY);
    const en = S.interfaceNodes + <usize>(4 * e) * 4;
    for (let p = 0; p < 2; p++) {
      const q = 2 * e + p;
      const s = stiffnessFactor(load<f64>(S.trialDamage + ((<usize>q) << 3)));
      const kn = w * (load<i32>(S.contact + ((<usize>q) << 2)) != 0 ? K : s * K);
      const ks = w * s * K;
      // k = kn n nᵀ + ks t tᵀ
      const kxx = kn * frameNx * frameNx + ks * frameTx * frameTx;
      const kxy = kn * frameNx * frameNy + ks * frameTx * frameTy;
      const kyy = kn * frameNy * frameNy + ks * frameTy * frameTy;
      const cp = cohesivePos + <usize>(16 * q) * 4;
      const a = load<i32>(en + ((<usize>p) << 2));
      const b = load<i32>(en + ((<usize>(2 + p)) << 2));
      for (let blk = 0; blk < 4; blk++) {
        const sign: f64 = blk < 2 ? 1.0 : -1.0;
        const I = blk == 0 || blk == 2 ? a : b;
        const J = blk == 0 || blk == 3 ? a : b;
        for (let c1 = 0; c1 < 2; c1++) {
          for (let c2 = 0; c2 < 2; c2++) {
            const kv = sign * (c1 == 0 ? (c2 == 0 ? kxx : kxy) : c2 == 0 ? kxy : kyy);
            const pos = load<i32>(cp + ((<usize>(4 * blk + 2 * c1 + c2)) << 2));
            if (pos >= 0) {
              store<f64>(systemValues + ((<usize>pos) << 3), load<f64>(systemValues + ((<usize>pos) << 3)) + kv);
            } else {
              const r = dofIndex(I, c1);
              const sdof = dofIndex(J, c2);
              if (r >= 0 && sdof < 0) {
                const o = (<usize>r) << 3;
                store<f64>(rhs + o, load<f64>(rhs + o) - kv * load<f64>(fixedValues + ((<usize>(-1 - sdof)) << 3)));
              }
            }
          }
        }
      }
    }
  }
}

/** Target relative residual of the next linear solves (see MECHANICS_RTOL). */
export function setLinearTolerance(rtol: f64): void {
  solver!.setTolerance(rtol);
}

/**
 * The step of the last solve was accepted (called by the kernel's commitDamage): u_n and, after an IMPL-EX step,
 * u̇_n for the next warm start (see `committedSolution`).
 */
export function commitWarmStart(): void {
  const rate = lastSolveImplex && lastSolveDt > 0 && committedSolutionKnown;
  const inverseDt = rate ? 1.0 / lastSolveDt : 0.0;
  for (let d = 0; d < 2 * S.nodeCount; d++) {
    const r = dofIndex(d >> 1, d & 1);
    if (r < 0) continue;
    const o = (<usize>r) << 3;
    const u = load<f64>(S.displacement + ((<usize>d) << 3));
    if (rate) store<f64>(solutionRate + o, (u - load<f64>(committedSolution + o)) * inverseDt);
    store<f64>(committedSolution + o, u);
  }
  solutionRateKnown = rate;
  committedSolutionKnown = true;
}

/** Drop the factor, the warm-start history and the stale-solve bookkeeping: the state right after `setupMechanics`. */
export function resetMechanicsCaches(): void {
  committedSolutionKnown = false;
  solutionRateKnown = false;
  solver!.reset();
}

/**
 * Solve K u = b on the reduced system, warm start from `solution`; generalized plane strain adds the axial strain
 * by the Schur complement of the file header (`axialLoad` = h from `assembleLoad`). Returns false when a solve failed.
 */
function linearSolve(axialLoad: f64): bool {
  const linear = solver!;
  const before = linear.factorizations;
  linear.matrixChanged();
  let status = linear.solve(systemValues, rhs, solution, false);
  reportLinearIterations += linear.iterations;
  reportResidual = linear.residual;
  if (status == SOLVE_OK && S.generalizedPlaneStrain) {
    status = linear.solve(systemValues, axialCouplingFree, axialSolution, true);
    reportLinearIterations += linear.iterations;
    let bu1 = 0.0;
    let bu2 = 0.0;
    for (let r = 0; r < freeCount; r++) {
      const o = (<usize>r) << 3;
      const b = load<f64>(axialCouplingFree + o);
      bu1 += b * load<f64>(solution + o);
      bu2 += b * load<f64>(axialSolution + o);
    }
    let fixedPart = 0.0;
    for (let f = 0; f < S.fixedDofCount; f++) {
      const d = load<i32>(S.fixedDofs + ((<usize>f) << 2));
      fixedPart += load<f64>(axialCoupling + ((<usize>d) << 3)) * load<f64>(fixedValues + ((<usize>f) << 3));
    }
    const eps = -(bu1 + fixedPart + axialLoad) / (axialStiffness - bu2);
    for (let r = 0; r < freeCount; r++) {
      const o = (<usize>r) << 3;
      store<f64>(solution + o, load<f64>(solution + o) - eps * load<f64>(axialSolution + o));
    }
    reportAxialStrain = eps;
  }
  reportRefactorizations += linear.factorizations - before;
  return status == SOLVE_OK;
}

/** Contact state of every point from the current u (δn < 0). */
function initialContact(): void {
  for (let e = 0; e < S.interfaceCount; e++) {
    interfaceFrame(frame, e);
    for (let p = 0; p < 2; p++) {
      pointOpening(openingPair, frame, e, p);
      store<i32>(S.contact + ((<usize>(2 * e + p)) << 2), load<f64>(openingPair) < 0 ? 1 : 0);
    }
  }
}

/** r = G(D_trial) − D_trial per interface point, of this and of the previous secant iteration. */
let damageResidual: usize = 0;
let damageResidualPrev: usize = 0;
let relaxation: f64 = 1.0;

/**
 * Aitken-relaxed damage update (Irons–Tuck dynamic relaxation, the kernel contract): the damage fixed-point map
 * is monotone but contracts slowly near softening instabilities, so the step is extrapolated along the residual:
 *   ω_1 = 1;  ω_k = clamp(−ω_{k−1} Σ r_{k−1}·(r_k − r_{k−1}) / Σ (r_k − r_{k−1})², 0.5, 20)  (1 if the denominator is 0)
 *   D_trial ← min(1, max(D_committed, D_trial + ω_k r_k)).
 * Sums run over the points in ascending order, as in the TS oracle, so both kernels agree bit for bit.
 */
function relaxDamage(k: i32): void {
  const nq = 2 * S.interfaceCount;
  if (k == 1) {
    relaxation = 1.0;
  } else {
    let num = 0.0;
    let den = 0.0;
    for (let q = 0; q < nq; q++) {
      const r = load<f64>(damageResidual + ((<usize>q) << 3));
      const rp = load<f64>(damageResidualPrev + ((<usize>q) << 3));
      const d = r - rp;
      num += rp * d;
      den += d * d;
    }
    relaxation = den == 0 ? 1.0 : min(20.0, max(0.5, (-relaxation * num) / den));
  }
  for (let q = 0; q < nq; q++) {
    const o = (<usize>q) << 3;
    const r = load<f64>(damageResidual + o);
    const D = load<f64>(S.trialDamage + o) + relaxation * r;
    store<f64>(S.trialDamage + o, min(1.0, max(load<f64>(S.damage + o), D)));
    store<f64>(damageResidualPrev + o, r);
  }
}

/**
 * Damage of an interface point from its history κ, the law of kernel-api.ts written once for the implicit update
 * and the IMPL-EX predictor: D = max(D_committed, viscous(D_static(κ))) with λ0 = σ_max/K, λf = 2 G_c/σ_max and the
 * Gao–Bower update viscous(D) = (D_committed + (Δt/η) D) / (1 + Δt/η) when η > 0; 0 on a non-damageable interface.
 * `ip`: the interface material's record (INTERFACE_* slots).
 */
function historyDamage(ip: usize, committed: f64, kappa: f64, dt: f64): f64 {
  if (S.field(ip, INTERFACE_DAMAGEABLE) == 0) return 0.0;
  const K = S.field(ip, INTERFACE_PENALTY);
  const sigmaMax = S.field(ip, INTERFACE_STRENGTH);
  const Gc = S.field(ip, INTERFACE_FRACTURE_ENERGY);
  const eta = S.field(ip, INTERFACE_VISCOSITY);
  let Dv = staticDamage(kappa, sigmaMax / K, (2.0 * Gc) / sigmaMax);
  if (eta > 0) {
    const r = dt / eta;
    Dv = (committed + r * Dv) / (1.0 + r);
  }
  return max(committed, Dv);
}

/** Slots of the result block of `updateDamage` (f64). */
const UPDATE_MAX_CHANGE: i32 = 0;
const UPDATE_MEAN_CHANGE: i32 = 1;
const UPDATE_CONTACT_CHANGES: i32 = 2;
/** The result block of `updateDamage` the solve passes to it. */
const damageUpdate: usize = memory.data(24, 16);

/**
 * New trial history κ and damage residuals r = G(D_trial) − D_trial from the current u, and the contact state of
 * every point. Writes to `out`: max |r| over all points, Σ w |r| / Σ w over the damageable points (w = L/2: the
 * change of the mean damage), and how many contact states changed.
 */
/**
 * Cohesive fatigue at point q (docs/physics.md §9): a point that starts the step below its envelope (λ_n < κ_n)
 * accumulates over the part of its path below the envelope, λ_e = min(λ, κ_n): the damage G of the history law is
 * raised to D_n + ΔD (`fatigueDamageIncrement` at λ_e, from the committed D_n and λ_n), at most 1. On the envelope
 * (λ_n = κ_n, every step of a monotonic loading) nothing is added.
 */
function withFatigue(ip: usize, q: i32, G: f64, lambda: f64): f64 {
  const deltaSigma = S.field(ip, INTERFACE_FATIGUE_LENGTH);
  if (deltaSigma <= 0) return G;
  const o = (<usize>q) << 3;
  const kappaN = load<f64>(S.kappa + o);
  const lambdaN = load<f64>(S.lambda + o);
  if (!(lambdaN < kappaN)) return G;
  const Dn = load<f64>(S.damage + o);
  const inc = fatigueDamageIncrement(
    Dn,
    min(lambda, kappaN),
    lambdaN,
    S.field(ip, INTERFACE_PENALTY),
    S.field(ip, INTERFACE_STRENGTH),
    S.field(ip, INTERFACE_FATIGUE_ENDURANCE),
    deltaSigma,
  );
  return inc > 0 ? min(1.0, max(G, Dn + inc)) : G;
}

/**
 * Trial λ of every point from the final u (committed as λ_n), and, for a fatigue point that started the step below
 * its envelope (λ_n < κ_n), the trial history raised onto the envelope of the final trial damage:
 * κ ← max(κ, κ(D_trial)) (`kappaOfDamage`), so that later loading softens from there. Nothing changes on the
 * envelope (bilinear law).
 */
function fatigueHistory(): void {
  for (let e = 0; e < S.interfaceCount; e++) {
    const ip = S.interfaceRecordOf(e);
    const fatigue = S.field(ip, INTERFACE_DAMAGEABLE) != 0 && S.field(ip, INTERFACE_FATIGUE_LENGTH) > 0;
    interfaceFrame(frame, e);
    for (let p = 0; p < 2; p++) {
      const o = (<usize>(2 * e + p)) << 3;
      pointOpening(openingPair, frame, e, p);
      const dnPos = max(load<f64>(openingPair), 0.0);
      const ds = load<f64>(openingPair, 8);
      const lambda = Math.sqrt(dnPos * dnPos + ds * ds);
      store<f64>(S.trialLambda + o, lambda);
      if (fatigue && load<f64>(S.lambda + o) < load<f64>(S.kappa + o)) {
        const sigmaMax = S.field(ip, INTERFACE_STRENGTH);
        const kD = kappaOfDamage(
          load<f64>(S.trialDamage + o),
          sigmaMax / S.field(ip, INTERFACE_PENALTY),
          (2.0 * S.field(ip, INTERFACE_FRACTURE_ENERGY)) / sigmaMax,
        );
        store<f64>(S.trialKappa + o, max(load<f64>(S.trialKappa + o), kD));
      }
    }
  }
}

function updateDamage(out: usize, dt: f64): void {
  let dmax = 0.0;
  let sumW = 0.0;
  let sumWR = 0.0;
  let contactChanges = 0;
  for (let e = 0; e < S.interfaceCount; e++) {
    const ip = S.interfaceRecordOf(e);
    const damageable = S.field(ip, INTERFACE_DAMAGEABLE) != 0;
    interfaceFrame(frame, e);
    const frameL = S.field(frame, FRAME_LENGTH);
    for (let p = 0; p < 2; p++) {
      const q = 2 * e + p;
      const o = (<usize>q) << 3;
      pointOpening(openingPair, frame, e, p);
      const openingN = load<f64>(openingPair);
      const openingS = load<f64>(openingPair, 8);
      const dnPos = max(openingN, 0.0);
      const lambda = Math.sqrt(dnPos * dnPos + openingS * openingS);
      const kappaNew = max(load<f64>(S.kappa + o), lambda);
      let Dnew = historyDamage(ip, load<f64>(S.damage + o), kappaNew, dt);
      if (damageable) Dnew = withFatigue(ip, q, Dnew, lambda);
      const residual = Dnew - load<f64>(S.trialDamage + o);
      dmax = max(dmax, Math.abs(residual));
      if (damageable) {
        sumW += 0.5 * frameL;
        sumWR += 0.5 * frameL * Math.abs(residual);
      }
      store<f64>(damageResidual + o, residual);
      store<f64>(S.trialKappa + o, kappaNew);
      const c: i32 = openingN < 0 ? 1 : 0;
      if (c != load<i32>(S.contact + ((<usize>q) << 2))) contactChanges++;
      store<i32>(S.contact + ((<usize>q) << 2), c);
    }
  }
  store<f64>(out + ((<usize>UPDATE_MAX_CHANGE) << 3), dmax);
  store<f64>(out + ((<usize>UPDATE_MEAN_CHANGE) << 3), sumW > 0 ? sumWR / sumW : 0.0);
  store<f64>(out + ((<usize>UPDATE_CONTACT_CHANGES) << 3), <f64>contactChanges);
}

/** Openings, tractions (with the final trial damage) and stresses from the final u. */
function postprocess(): void {
  let softening = 0;
  let incMax = 0.0;
  for (let e = 0; e < S.interfaceCount; e++) {
    const K = S.field(S.interfaceRecordOf(e), INTERFACE_PENALTY);
    interfaceFrame(frame, e);
    for (let p = 0; p < 2; p++) {
      const q = 2 * e + p;
      pointOpening(openingPair, frame, e, p);
      const D = load<f64>(S.trialDamage + ((<usize>q) << 3));
      cohesiveTraction(tractionPair, load<f64>(openingPair), load<f64>(openingPair, 8), D, K);
      const o4 = (<usize>(2 * q)) << 3;
      copyF64(S.opening + o4, openingPair, 2);
      copyF64(S.traction + o4, tractionPair, 2);
      if (D > 0 && D < 1) softening++;
      incMax = max(incMax, D - load<f64>(S.damage + ((<usize>q) << 3)));
    }
  }
  reportSofteningPoints = softening;
  reportMaxDamageIncrement = incMax;
  computeStress(reportAxialStrain);
}

/**
 * σ = D_g ε − σ⁰ per triangle, ε = B u_e; σ_33 = s33·ε + s33a ε_a + s33c ε_c (plane strain), 0 (plane stress).
 * The lattice strains ε_a, ε_c come from the current x, exactly as in `assembleLoad` (x does not change during a
 * mechanics solve).
 */
function computeStress(axialStrain: f64): void {
  for (let t = 0; t < S.triCount; t++) {
    triangleGeometry(geometry, t);
    const n0 = triangleNode(geometry, 0);
    const n1 = triangleNode(geometry, 1);
    const n2 = triangleNode(geometry, 2);
    const u0 = S.displacement + ((<usize>n0) << 4);
    const u1 = S.displacement + ((<usize>n1) << 4);
    const u2 = S.displacement + ((<usize>n2) << 4);
    const ux0 = load<f64>(u0),
      uy0 = load<f64>(u0, 8);
    const ux1 = load<f64>(u1),
      uy1 = load<f64>(u1, 8);
    const ux2 = load<f64>(u2),
      uy2 = load<f64>(u2, 8);
    const gx0 = gradX(geometry, 0),
      gx1 = gradX(geometry, 1),
      gx2 = gradX(geometry, 2);
    const gy0 = gradY(geometry, 0),
      gy1 = gradY(geometry, 1),
      gy2 = gradY(geometry, 2);
    const exx = gx0 * ux0 + gx1 * ux1 + gx2 * ux2;
    const eyy = gy0 * uy0 + gy1 * uy1 + gy2 * uy2;
    const gxy = gy0 * ux0 + gy1 * ux1 + gy2 * ux2 + gx0 * uy0 + gx1 * uy1 + gx2 * uy2;
    const constants = S.materialRecordOf(t);
    const d00 = S.field(constants, MATERIAL_STIFFNESS_XX_XX),
      d01 = S.field(constants, MATERIAL_STIFFNESS_XX_YY),
      d02 = S.field(constants, MATERIAL_STIFFNESS_XX_XY);
    const d11 = S.field(constants, MATERIAL_STIFFNESS_YY_YY),
      d12 = S.field(constants, MATERIAL_STIFFNESS_YY_XY),
      d22 = S.field(constants, MATERIAL_STIFFNESS_XY_XY);
    latticeStrainOfTriangle(strainPair, t, n0, n1, n2);
    const ea = load<f64>(strainPair);
    const ec = load<f64>(strainPair, 8);
    const sp = S.stress + <usize>(4 * t) * 8;
    store<f64>(
      sp,
      d00 * exx +
        d01 * eyy +
        d02 * gxy -
        (ea * S.field(constants, MATERIAL_EIGENSTRESS_A) + ec * S.field(constants, MATERIAL_EIGENSTRESS_C)),
    );
    store<f64>(
      sp,
      d01 * exx +
        d11 * eyy +
        d12 * gxy -
        (ea * S.field(constants, MATERIAL_EIGENSTRESS_A + 1) + ec * S.field(constants, MATERIAL_EIGENSTRESS_C + 1)),
      8,
    );
    store<f64>(
      sp,
      d02 * exx +
        d12 * eyy +
        d22 * gxy -
        (ea * S.field(constants, MATERIAL_EIGENSTRESS_A + 2) + ec * S.field(constants, MATERIAL_EIGENSTRESS_C + 2)),
      16,
    );
    store<f64>(
      sp,
      S.field(constants, MATERIAL_STRESS_ZZ) * exx +
        S.field(constants, MATERIAL_STRESS_ZZ + 1) * eyy +
        S.field(constants, MATERIAL_STRESS_ZZ + 2) * gxy +
        S.field(constants, MATERIAL_STRESS_ZZ_A) * ea +
        S.field(constants, MATERIAL_STRESS_ZZ_C) * ec,
      24,
    );
    if (S.generalizedPlaneStrain) {
      // σ_p += c ε_zz, σ_zz += c_zz ε_zz
      for (let k = 0; k < 3; k++) {
        const o = (<usize>k) << 3;
        store<f64>(sp + o, load<f64>(sp + o) + S.field(constants, MATERIAL_STIFFNESS_ZZ + k) * axialStrain);
      }
      store<f64>(sp, load<f64>(sp, 24) + S.field(constants, MATERIAL_STIFFNESS_ZZ_ZZ) * axialStrain, 24);
    }
  }
}

/**
 * IMPL-EX predictor (Oliver, Huespe & Cante 2008): the history of every point is extrapolated linearly in time from
 * the last committed step, κ̃ = κ_n + Δt κ̇_n (κ̇_n = (κ_n − κ_{n−1}) / Δt_n, committed with the step), and the
 * damage the equilibrium uses is D̃ = max(D_n, viscous(D_static(κ̃))) (0 on non-damageable interfaces).
 */
function extrapolateDamage(dt: f64): void {
  for (let e = 0; e < S.interfaceCount; e++) {
    const ip = S.interfaceRecordOf(e);
    for (let p = 0; p < 2; p++) {
      const o = (<usize>(2 * e + p)) << 3;
      const kx = load<f64>(S.kappa + o) + dt * load<f64>(S.kappaRate + o);
      store<f64>(S.trialDamage + o, historyDamage(ip, load<f64>(S.damage + o), kx, dt));
    }
  }
}

/**
 * The damage solve of kernel-api.ts. scheme implicit (`implex` false): the damage-secant iteration; IMPL-EX: one
 * linear solve with the extrapolated damage, then the implicit update of κ and D from the solved u becomes the trial
 * state (committed by `commitDamage`, with κ̇ = (κ_trial − κ_n) / Δt). Returns ERROR_NONE, or ERROR_MECHANICS_SOLVE when a linear solve failed
 * (factorisation or tolerance). Results in the report globals, u, trial damage/history, openings, tractions, stresses.
 */
export function mechanicsSolve(
  dt: f64,
  maxIterations: i32,
  tolerance: f64,
  hasPrescribed: bool,
  hasExtra: bool,
  implex: bool,
): i32 {
  reportConverged = false;
  reportIterations = 0;
  reportLinearIterations = 0;
  reportLinearSolves = 0;
  reportAxialStrain = 0;
  reportMaxDamageChange = 0;
  reportExtrapolationError = 0;
  reportRefactorizations = 0;
  // trial state ← committed, contact from the current u
  const nq = 2 * S.interfaceCount;
  copyF64(S.trialDamage, S.damage, nq);
  copyF64(S.trialKappa, S.kappa, nq);
  initialContact();
  // prescribed values into u and the fixed-value list
  for (let f = 0; f < S.fixedDofCount; f++) {
    const v = hasPrescribed ? load<f64>(S.prescribed + ((<usize>f) << 3)) : 0.0;
    store<f64>(fixedValues + ((<usize>f) << 3), v);
    store<f64>(S.displacement + ((<usize>load<i32>(S.fixedDofs + ((<usize>f) << 2))) << 3), v);
  }
  // warm start: the free part of the current u; IMPL-EX moves it along the last step's rate (`committedSolution`)
  for (let d = 0; d < 2 * S.nodeCount; d++) {
    const r = dofIndex(d >> 1, d & 1);
    if (r >= 0) store<f64>(solution + ((<usize>r) << 3), load<f64>(S.displacement + ((<usize>d) << 3)));
  }
  if (implex && solutionRateKnown) {
    for (let r = 0; r < freeCount; r++) {
      const o = (<usize>r) << 3;
      store<f64>(solution + o, load<f64>(solution + o) + dt * load<f64>(solutionRate + o));
    }
  }
  lastSolveDt = dt;
  lastSolveImplex = implex;
  const axialLoad = assembleLoad(hasExtra);
  if (implex) extrapolateDamage(dt);
  let code = ERROR_NONE;
  const iterations = implex ? 1 : maxIterations;
  for (let k = 1; k <= iterations; k++) {
    reportIterations = k;
    reportLinearSolves = k;
    assembleSecant();
    if (!linearSolve(axialLoad)) {
      code = ERROR_MECHANICS_SOLVE;
    }
    for (let d = 0; d < 2 * S.nodeCount; d++) {
      const r = dofIndex(d >> 1, d & 1);
      if (r >= 0) store<f64>(S.displacement + ((<usize>d) << 3), load<f64>(solution + ((<usize>r) << 3)));
    }
    if (code != ERROR_NONE) break;
    updateDamage(damageUpdate, dt);
    const dD = load<f64>(damageUpdate + ((<usize>UPDATE_MAX_CHANGE) << 3));
    const contactChanged = load<f64>(damageUpdate + ((<usize>UPDATE_CONTACT_CHANGES) << 3)) > 0;
    reportMaxDamageChange = dD;
    reportMeanDamageChange = load<f64>(damageUpdate + ((<usize>UPDATE_MEAN_CHANGE) << 3));
    if (implex) {
      // D_trial ← D_implicit(u) (= D̃ + r, already in [D_n, 1]); the step is complete by construction
      for (let q = 0; q < nq; q++) {
        const o = (<usize>q) << 3;
        store<f64>(S.trialDamage + o, load<f64>(S.trialDamage + o) + load<f64>(damageResidual + o));
      }
      reportExtrapolationError = dD;
      reportConverged = true;
      break;
    }
    relaxDamage(k);
    if (dD <= tolerance && !contactChanged) {
      reportConverged = true;
      break;
    }
  }
  fatigueHistory();
  // history rate the commit would store: IMPL-EX steps only (an implicit solve, e.g. the initial equilibrium, is
  // not a time step of the extrapolation and leaves κ̇ = 0)
  for (let q = 0; q < nq; q++) {
    const o = (<usize>q) << 3;
    store<f64>(
      S.trialKappaRate + o,
      implex && dt > 0 ? (load<f64>(S.trialKappa + o) - load<f64>(S.kappa + o)) / dt : 0.0,
    );
  }
  postprocess();
  return code;
}
