/**
 * The pure-TypeScript oracle kernel: a direct, readable implementation of the `Kernel` contract
 * (`src/engine/kernel-api.ts`, whose conventions are followed to the letter so that the WebAssembly kernel can be
 * checked against it to 1e-10). Also the "no WASM" baseline of the benchmark.
 *
 * Linear systems are assembled into a fixed sparse pattern (built once in `setup`) and solved with a sparse
 * Cholesky factorisation after nested-dissection ordering (`sparse-cholesky.ts`).
 *
 * Units: µm, s, MPa; x dimensionless.
 */
import type {
  Kernel,
  KernelInterfaceMaterial,
  KernelSetup,
  KernelState,
  MechanicsOptions,
  MechanicsReport,
  SolveReport,
} from '../kernel-api.js';
import {
  bilinearDamage,
  eigenstressCoefficients,
  interpolateTable,
  reducedLocalStiffness,
  rotatedDiffusivity,
  rotatedStiffness,
  strainRotation,
} from './constitutive.js';
import { SparseCholesky, adjacencyFromCliques } from './sparse-cholesky.js';
import { exportKernelState, importKernelState } from '../kernel-state.js';

/** Stiffness factor floor: s = max(1 − D, 1e-8) keeps a fully cracked, floating grain non-singular. */
const STIFFNESS_FLOOR = 1e-8;

/**
 * Aitken (Irons–Tuck) dynamic relaxation factor of the damage fixed-point iteration:
 *   ω_k = clamp(−ω_{k−1} Σ r_{k−1}·(r_k − r_{k−1}) / Σ (r_k − r_{k−1})², 0.5, 20), 1 when the denominator is 0.
 * Sums in ascending point order (the WASM kernel sums in the same order, so both agree bit for bit).
 */
export function aitkenRelaxation(omegaPrev: number, rPrev: Float64Array, r: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let q = 0; q < r.length; q++) {
    const d = r[q] - rPrev[q];
    num += rPrev[q] * d;
    den += d * d;
  }
  if (den === 0) return 1;
  return Math.min(20, Math.max(0.5, (-omegaPrev * num) / den));
}

export function createTsKernel(): Kernel {
  return new TsKernel();
}

/** Per-triangle geometry: area and shape-function gradients ∇N_i = (bx_i, by_i). */
interface TriangleGeometry {
  area: Float64Array;
  /** 6 per triangle: [∂N0/∂x, ∂N1/∂x, ∂N2/∂x, ∂N0/∂y, ∂N1/∂y, ∂N2/∂y]. */
  grad: Float64Array;
}

class TsKernel implements Kernel {
  readonly kind = 'ts' as const;
  private s!: KernelSetup;
  private geom!: TriangleGeometry;

  // State.
  private x = new Float64Array(0);
  private u = new Float64Array(0);
  private damageCommitted = new Float64Array(0);
  private kappaCommitted = new Float64Array(0);
  private damageTrial = new Float64Array(0);
  /** Residuals r = G(D_trial) − D_trial of the current and the previous secant iteration (Aitken relaxation). */
  private damageResidual = new Float64Array(0);
  private damageResidualPrev = new Float64Array(0);
  private kappaTrial = new Float64Array(0);
  /** IMPL-EX history rate κ̇ = (κ_n − κ_{n−1}) / Δt_n, committed and of the current solve (0 after an implicit solve). */
  private kappaRateCommitted = new Float64Array(0);
  private kappaRateTrial = new Float64Array(0);
  private backupKappaRate = new Float64Array(0);
  private openingOut = new Float64Array(0);
  private tractionOut = new Float64Array(0);
  private stressOut = new Float64Array(0);
  private backupX = new Float64Array(0);
  private backupU = new Float64Array(0);
  private backupD = new Float64Array(0);
  private backupKappa = new Float64Array(0);

  // Diffusion system.
  private diffSolver!: SparseCholesky;
  /** Positions in diffSolver.values of the 3×3 triangle blocks (9 per triangle, −1 = not stored). */
  private diffTriPos!: Int32Array;
  /** Positions of the 2×2 conductance blocks per interface node pair (8 per interface: p = 0, 1 × [aa, ab, ba, bb]). */
  private diffIfPos!: Int32Array;
  private massValues!: Float64Array;
  private conductivityValues!: Float64Array;
  private hasConductance = false;
  private diffFactoredDt = NaN;
  private diffDirty = true;
  private diffRhs = new Float64Array(0);

  // Mechanics system.
  /** Reduced index of every mechanics dof (2 per node), −1 for fixed dofs. */
  private mechIndex = new Int32Array(0);
  private mechFreeCount = 0;
  private mechSolver!: SparseCholesky;
  private mechTriPos!: Int32Array;
  /** 16 positions per node pair (2 per interface) for the 4 dofs [ua_x, ua_y, ub_x, ub_y]. */
  private mechIfPos!: Int32Array;
  private bulkStiffnessValues!: Float64Array;
  /** Per triangle: C_glob (9), eigenstress coefficients g_a, g_c (6), Cr (9), T (9). */
  private triC!: Float64Array;
  private triEig!: Float64Array;
  private triCr!: Float64Array;
  private triT!: Float64Array;
  private mechRhs = new Float64Array(0);
  private mechSol = new Float64Array(0);
  private prescribedFull = new Float64Array(0);
  private contact = new Uint8Array(0);
  /** (k_n, k_s) per interface point in the last factorised mechanics matrix. */
  private pointStiffness = new Float64Array(0);
  private mechFactored = false;
  /** Per interface: unit tangent t (2), normal n (2), half length w = L/2. */
  private ifFrame = new Float64Array(0);

  setup(s: KernelSetup): void {
    this.s = s;
    const nn = s.nodeCount,
      nt = s.triCount,
      ni = s.interfaceCount,
      nd = s.diffusionDofCount;
    this.geom = computeGeometry(s);
    this.x = new Float64Array(nd);
    this.u = new Float64Array(2 * nn);
    this.damageCommitted = new Float64Array(2 * ni);
    this.kappaCommitted = new Float64Array(2 * ni);
    this.damageTrial = new Float64Array(2 * ni);
    this.damageResidual = new Float64Array(2 * ni);
    this.damageResidualPrev = new Float64Array(2 * ni);
    this.kappaTrial = new Float64Array(2 * ni);
    this.kappaRateCommitted = new Float64Array(2 * ni);
    this.kappaRateTrial = new Float64Array(2 * ni);
    this.backupKappaRate = new Float64Array(2 * ni);
    this.openingOut = new Float64Array(4 * ni);
    this.tractionOut = new Float64Array(4 * ni);
    this.stressOut = new Float64Array(4 * nt);
    this.backupX = new Float64Array(nd);
    this.backupU = new Float64Array(2 * nn);
    this.backupD = new Float64Array(2 * ni);
    this.backupKappa = new Float64Array(2 * ni);
    this.contact = new Uint8Array(2 * ni);
    this.pointStiffness = new Float64Array(4 * ni);
    this.mechFactored = false;

    // Interface frames: t = (X(a1) − X(a0)) / L, n = (t_y, −t_x), weight L/2 per node pair.
    this.ifFrame = new Float64Array(5 * ni);
    for (let e = 0; e < ni; e++) {
      const a0 = s.interfaceNodes[4 * e],
        a1 = s.interfaceNodes[4 * e + 1];
      const dx = s.coords_um[2 * a1] - s.coords_um[2 * a0];
      const dy = s.coords_um[2 * a1 + 1] - s.coords_um[2 * a0 + 1];
      const L = Math.hypot(dx, dy);
      const tx = dx / L,
        ty = dy / L;
      this.ifFrame.set([tx, ty, ty, -tx, L / 2], 5 * e);
    }

    this.setupDiffusion();
    this.setupMechanics();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Diffusion
  // ---------------------------------------------------------------------------------------------------------

  private setupDiffusion(): void {
    const s = this.s;
    const nd = s.diffusionDofCount;
    const dof = s.diffusionDof;
    const cliques: number[][] = [];
    for (let t = 0; t < s.triCount; t++)
      cliques.push([dof[s.triNodes[3 * t]], dof[s.triNodes[3 * t + 1]], dof[s.triNodes[3 * t + 2]]]);
    this.hasConductance = false;
    for (let e = 0; e < s.interfaceCount; e++)
      for (let p = 0; p < 2; p++) {
        const da = dof[s.interfaceNodes[4 * e + p]],
          db = dof[s.interfaceNodes[4 * e + 2 + p]];
        if (da !== db) {
          cliques.push([da, db]);
          this.hasConductance = true;
        }
      }
    const { adjPtr, adjIdx } = adjacencyFromCliques(nd, cliques);
    const coords = new Float64Array(2 * nd);
    for (let n = s.nodeCount - 1; n >= 0; n--) {
      coords[2 * dof[n]] = s.coords_um[2 * n];
      coords[2 * dof[n] + 1] = s.coords_um[2 * n + 1];
    }
    const solver = new SparseCholesky(nd, adjPtr, adjIdx, coords);
    this.diffSolver = solver;
    this.diffTriPos = new Int32Array(9 * s.triCount);
    for (let t = 0; t < s.triCount; t++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          const di = dof[s.triNodes[3 * t + i]],
            dj = dof[s.triNodes[3 * t + j]];
          // Store each symmetric pair once: only where it maps to the stored (upper) entry from (i ≤ j) order.
          this.diffTriPos[9 * t + 3 * i + j] = solver.position(di, dj);
        }
    this.diffIfPos = new Int32Array(8 * s.interfaceCount).fill(-1);
    for (let e = 0; e < s.interfaceCount; e++)
      for (let p = 0; p < 2; p++) {
        const da = dof[s.interfaceNodes[4 * e + p]],
          db = dof[s.interfaceNodes[4 * e + 2 + p]];
        if (da === db) continue;
        const o = 8 * e + 4 * p;
        this.diffIfPos[o] = solver.position(da, da);
        this.diffIfPos[o + 1] = solver.position(da, db);
        this.diffIfPos[o + 3] = solver.position(db, db);
      }

    /**
     * Consistent mass M_e = A/12 [2 1 1; 1 2 1; 1 1 2] and conductivity K_e[i][j] = A ∇N_iᵀ D_g ∇N_j, assembled once
     * into the pattern (stored as the permuted upper triangle: of the two visits (i, j), (j, i) of an off-diagonal
     * pair only the upper one is added, see `isUpperVisit`).
     */
    this.massValues = new Float64Array(solver.values.length);
    this.conductivityValues = new Float64Array(solver.values.length);
    const { area, grad } = this.geom;
    for (let t = 0; t < s.triCount; t++) {
      const [Dxx, Dxy, Dyy] = rotatedDiffusivity(s.materials[s.triMaterial[t]], s.triAngle_rad[t]);
      const A = area[t];
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          if (!this.isUpperVisit(solver, dof[s.triNodes[3 * t + i]], dof[s.triNodes[3 * t + j]])) continue;
          const pos = this.diffTriPos[9 * t + 3 * i + j];
          const gxi = grad[6 * t + i],
            gyi = grad[6 * t + 3 + i],
            gxj = grad[6 * t + j],
            gyj = grad[6 * t + 3 + j];
          this.massValues[pos] += (A / 12) * (i === j ? 2 : 1);
          this.conductivityValues[pos] += A * (gxi * (Dxx * gxj + Dxy * gyj) + gyi * (Dxy * gxj + Dyy * gyj));
        }
    }
    this.diffRhs = new Float64Array(nd);
    this.diffDirty = true;
    this.diffFactoredDt = NaN;
  }

  /**
   * For an element entry (di, dj) of a symmetric matrix stored as its permuted upper triangle: true when this
   * visit should be added. Off-diagonal pairs are visited as (di, dj) and (dj, di) by the element loops; only the
   * one with pinv[di] < pinv[dj] is added (and the diagonal always).
   */
  private isUpperVisit(solver: SparseCholesky, di: number, dj: number): boolean {
    return solver.pinv[di] <= solver.pinv[dj];
  }

  /**
   * (M + Δt K_D + Δt K_if(D_committed)) x¹ = M x⁰ − Δt f_q + Δt f_extra.
   * f_q[i] = Σ_s q_s L_s / 2 for each node i of segment s; K_if: conductance k (1 − D_p) L/2 at each node pair.
   */
  diffusionStep(dt_s: number, segmentFlux_um_s: Float64Array, extraRhs?: Float64Array): SolveReport {
    const s = this.s;
    const solver = this.diffSolver;
    const dof = s.diffusionDof;
    let refactored = false;
    if (this.diffDirty || dt_s !== this.diffFactoredDt) {
      const v = solver.values;
      for (let k = 0; k < v.length; k++) v[k] = this.massValues[k] + dt_s * this.conductivityValues[k];
      if (this.hasConductance) {
        for (let e = 0; e < s.interfaceCount; e++) {
          const im = s.interfaceMaterials[s.interfaceMaterial[e]];
          const w = this.ifFrame[5 * e + 4];
          for (let p = 0; p < 2; p++) {
            const o = 8 * e + 4 * p;
            if (this.diffIfPos[o] < 0) continue;
            const g = dt_s * w * im.liConductance_um_s * (1 - this.damageCommitted[2 * e + p]);
            v[this.diffIfPos[o]] += g;
            v[this.diffIfPos[o + 3]] += g;
            v[this.diffIfPos[o + 1]] -= g;
          }
        }
      }
      solver.factor();
      this.diffFactoredDt = dt_s;
      this.diffDirty = false;
      refactored = true;
    }
    // Right-hand side: M x⁰ (element by element), − Δt f_q, + Δt f_extra.
    const rhs = this.diffRhs;
    rhs.fill(0);
    const { area } = this.geom;
    const x = this.x;
    for (let t = 0; t < s.triCount; t++) {
      const d0 = dof[s.triNodes[3 * t]],
        d1 = dof[s.triNodes[3 * t + 1]],
        d2 = dof[s.triNodes[3 * t + 2]];
      const a12 = area[t] / 12;
      const x0 = x[d0],
        x1 = x[d1],
        x2 = x[d2];
      rhs[d0] += a12 * (2 * x0 + x1 + x2);
      rhs[d1] += a12 * (x0 + 2 * x1 + x2);
      rhs[d2] += a12 * (x0 + x1 + 2 * x2);
    }
    for (let g = 0; g < s.fluxSegmentCount; g++) {
      const n0 = s.fluxSegmentNodes[2 * g],
        n1 = s.fluxSegmentNodes[2 * g + 1];
      const L = Math.hypot(
        s.coords_um[2 * n1] - s.coords_um[2 * n0],
        s.coords_um[2 * n1 + 1] - s.coords_um[2 * n0 + 1],
      );
      const f = (dt_s * segmentFlux_um_s[g] * L) / 2;
      rhs[dof[n0]] -= f;
      rhs[dof[n1]] -= f;
    }
    if (extraRhs) for (let i = 0; i < rhs.length; i++) rhs[i] += dt_s * extraRhs[i];
    solver.solve(rhs, x);
    return { iterations: 0, relativeResidual: solver.relativeResidual(rhs, x), refactored };
  }

  /** ∫ x dA = Σ_e (A_e / 3) (x0 + x1 + x2) (row sums of the consistent mass). */
  liIntegral(): number {
    const s = this.s;
    const dof = s.diffusionDof;
    let sum = 0;
    for (let t = 0; t < s.triCount; t++) {
      sum +=
        (this.geom.area[t] / 3) *
        (this.x[dof[s.triNodes[3 * t]]] + this.x[dof[s.triNodes[3 * t + 1]]] + this.x[dof[s.triNodes[3 * t + 2]]]);
    }
    return sum;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Mechanics
  // ---------------------------------------------------------------------------------------------------------

  private setupMechanics(): void {
    const s = this.s;
    const nn = s.nodeCount;
    const index = new Int32Array(2 * nn).fill(0);
    for (let k = 0; k < s.fixedDofs.length; k++) index[s.fixedDofs[k]] = -1;
    let free = 0;
    for (let d = 0; d < 2 * nn; d++) if (index[d] === 0) index[d] = free++;
    this.mechIndex = index;
    this.mechFreeCount = free;

    const cliques: number[][] = [];
    for (let t = 0; t < s.triCount; t++) {
      const c: number[] = [];
      for (let k = 0; k < 3; k++) {
        const n = s.triNodes[3 * t + k];
        c.push(index[2 * n], index[2 * n + 1]);
      }
      cliques.push(c);
    }
    for (let e = 0; e < s.interfaceCount; e++)
      for (let p = 0; p < 2; p++) {
        const a = s.interfaceNodes[4 * e + p],
          b = s.interfaceNodes[4 * e + 2 + p];
        cliques.push([index[2 * a], index[2 * a + 1], index[2 * b], index[2 * b + 1]]);
      }
    const { adjPtr, adjIdx } = adjacencyFromCliques(free, cliques);
    // Ordering coordinates: the node's position, nudged by the component so the two dofs of a node stay adjacent.
    const coords = new Float64Array(2 * free);
    for (let d = 0; d < 2 * nn; d++) {
      const r = index[d];
      if (r < 0) continue;
      const n = d >> 1;
      coords[2 * r] = s.coords_um[2 * n];
      coords[2 * r + 1] = s.coords_um[2 * n + 1];
    }
    const solver = new SparseCholesky(free, adjPtr, adjIdx, coords);
    this.mechSolver = solver;

    // Element positions (−1: fixed row/column or the lower visit of a symmetric pair).
    const pos = (ri: number, rj: number): number =>
      ri < 0 || rj < 0 || !this.isUpperVisit(solver, ri, rj) ? -1 : solver.position(ri, rj);
    this.mechTriPos = new Int32Array(36 * s.triCount);
    for (let t = 0; t < s.triCount; t++)
      for (let i = 0; i < 6; i++)
        for (let j = 0; j < 6; j++) {
          const ri = index[2 * s.triNodes[3 * t + (i >> 1)] + (i & 1)];
          const rj = index[2 * s.triNodes[3 * t + (j >> 1)] + (j & 1)];
          this.mechTriPos[36 * t + 6 * i + j] = pos(ri, rj);
        }
    this.mechIfPos = new Int32Array(32 * s.interfaceCount);
    for (let e = 0; e < s.interfaceCount; e++)
      for (let p = 0; p < 2; p++) {
        const a = s.interfaceNodes[4 * e + p],
          b = s.interfaceNodes[4 * e + 2 + p];
        const d = [2 * a, 2 * a + 1, 2 * b, 2 * b + 1].map((g) => index[g]);
        for (let i = 0; i < 4; i++)
          for (let j = 0; j < 4; j++) this.mechIfPos[32 * e + 16 * p + 4 * i + j] = pos(d[i], d[j]);
      }

    // Constitutive data per triangle.
    const nt = s.triCount;
    this.triC = new Float64Array(9 * nt);
    this.triEig = new Float64Array(6 * nt);
    this.triCr = new Float64Array(9 * nt);
    this.triT = new Float64Array(9 * nt);
    for (let t = 0; t < nt; t++) {
      const m = s.materials[s.triMaterial[t]];
      const T = strainRotation(s.triAngle_rad[t]);
      const Cr = reducedLocalStiffness(m, s.plane);
      this.triT.set(T, 9 * t);
      this.triCr.set(Cr, 9 * t);
      this.triC.set(rotatedStiffness(Cr, T), 9 * t);
      this.triEig.set(eigenstressCoefficients(m, Cr, T, s.plane), 6 * t);
    }

    /** Bulk stiffness K_e = A Bᵀ C_glob B, assembled once (it does not depend on x, u or D). */
    this.bulkStiffnessValues = new Float64Array(solver.values.length);
    const Ke = new Float64Array(36);
    for (let t = 0; t < nt; t++) {
      this.triangleStiffness(t, Ke);
      for (let k = 0; k < 36; k++) {
        const p = this.mechTriPos[36 * t + k];
        if (p >= 0) this.bulkStiffnessValues[p] += Ke[k];
      }
    }
    this.mechRhs = new Float64Array(free);
    this.mechSol = new Float64Array(free);
    this.prescribedFull = new Float64Array(2 * nn);
  }

  /**
   * B (3×6) of triangle t: εxx = Σ ∂N_i/∂x u_ix, εyy = Σ ∂N_i/∂y u_iy, γxy = Σ (∂N_i/∂y u_ix + ∂N_i/∂x u_iy).
   * K_e = A Bᵀ C_glob B (6×6, dof order [u0x, u0y, u1x, u1y, u2x, u2y]).
   */
  private triangleStiffness(t: number, Ke: Float64Array): void {
    const B = this.triangleB(t);
    const C = this.triC.subarray(9 * t, 9 * t + 9);
    const A = this.geom.area[t];
    const CB = new Float64Array(18);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 6; j++) {
        let v = 0;
        for (let k = 0; k < 3; k++) v += C[3 * i + k] * B[6 * k + j];
        CB[6 * i + j] = v;
      }
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        let v = 0;
        for (let k = 0; k < 3; k++) v += B[6 * k + i] * CB[6 * k + j];
        Ke[6 * i + j] = A * v;
      }
  }

  private triangleB(t: number): Float64Array {
    const g = this.geom.grad;
    const B = new Float64Array(18);
    for (let i = 0; i < 3; i++) {
      const gx = g[6 * t + i],
        gy = g[6 * t + 3 + i];
      B[2 * i] = gx; // εxx row
      B[6 + 2 * i + 1] = gy; // εyy row
      B[12 + 2 * i] = gy; // γxy row
      B[12 + 2 * i + 1] = gx;
    }
    return B;
  }

  /** Lattice strains (ε_a, ε_c) of triangle t at the mean of its nodal x. */
  private triangleLatticeStrain(t: number): [number, number] {
    const s = this.s;
    const dof = s.diffusionDof;
    const xm =
      (this.x[dof[s.triNodes[3 * t]]] + this.x[dof[s.triNodes[3 * t + 1]]] + this.x[dof[s.triNodes[3 * t + 2]]]) / 3;
    const m = s.materials[s.triMaterial[t]];
    return [interpolateTable(m.latticeX, m.latticeA, xm), interpolateTable(m.latticeX, m.latticeC, xm)];
  }

  /** Jump δ = u_b − u_a at node pair p of interface e, in the (n, t) frame: [δn, δs]. */
  private jump(e: number, p: number): [number, number] {
    const s = this.s;
    const a = s.interfaceNodes[4 * e + p],
      b = s.interfaceNodes[4 * e + 2 + p];
    const dx = this.u[2 * b] - this.u[2 * a],
      dy = this.u[2 * b + 1] - this.u[2 * a + 1];
    const f = this.ifFrame;
    const tx = f[5 * e],
      ty = f[5 * e + 1],
      nx = f[5 * e + 2],
      ny = f[5 * e + 3];
    return [dx * nx + dy * ny, dx * tx + dy * ty];
  }

  /**
   * Damage-secant iteration (contract): D_trial ← D_committed, contact from the current u; repeat: assemble
   * K = K_bulk + Σ_pairs w (k_n n nᵀ + k_s t tᵀ) ⊗ [[1, −1], [−1, 1]] with k_n = s K (open) or K (contact),
   * k_s = s K, s = max(1 − D_trial, 1e-8); f = Σ_e A Bᵀ σ*(x̄_e) + extraRhs − K_free,fixed u_fixed; solve;
   * κ = max(κ_committed, λ), D_new = max(D_committed, viscous(D_static(κ))); stop when max |D_new − D_trial| ≤ tol
   * and no contact state changed.
   */
  mechanicsSolve(opts: MechanicsOptions): MechanicsReport {
    const s = this.s;
    const ni = s.interfaceCount;
    const solver = this.mechSolver;
    const index = this.mechIndex;
    const u = this.u;
    const presc = this.prescribedFull;
    presc.fill(0);
    for (let k = 0; k < s.fixedDofs.length; k++) presc[s.fixedDofs[k]] = opts.prescribed ? opts.prescribed[k] : 0;

    // Trial state and contact state from the current u. IMPL-EX: the trial damage of the single solve is the
    // extrapolation D̃ = max(D_n, viscous(D_static(κ_n + Δt κ̇_n))).
    const implex = opts.scheme === 'implex';
    this.damageTrial.set(this.damageCommitted);
    if (implex) {
      for (let e = 0; e < ni; e++) {
        const im = s.interfaceMaterials[s.interfaceMaterial[e]];
        for (let p = 0; p < 2; p++) {
          const q = 2 * e + p;
          this.damageTrial[q] = this.dampedDamage(
            q,
            this.kappaCommitted[q] + opts.dt_s * this.kappaRateCommitted[q],
            im,
            opts.dt_s,
          );
        }
      }
    }
    for (let e = 0; e < ni; e++) for (let p = 0; p < 2; p++) this.contact[2 * e + p] = this.jump(e, p)[0] < 0 ? 1 : 0;

    // Load independent of damage: eigenstress + extraRhs − K_bulk(free, fixed) u_fixed.
    const fBase = new Float64Array(this.mechFreeCount);
    const B = new Float64Array(18);
    const Ke = new Float64Array(36);
    for (let t = 0; t < s.triCount; t++) {
      const [ea, ec] = this.triangleLatticeStrain(t);
      const g = this.triEig;
      const sx = g[6 * t] * ea + g[6 * t + 3] * ec;
      const sy = g[6 * t + 1] * ea + g[6 * t + 4] * ec;
      const sxy = g[6 * t + 2] * ea + g[6 * t + 5] * ec;
      B.set(this.triangleB(t));
      const A = this.geom.area[t];
      let hasFixed = false;
      for (let i = 0; i < 6; i++) {
        const r = index[2 * s.triNodes[3 * t + (i >> 1)] + (i & 1)];
        if (r < 0) {
          hasFixed = true;
          continue;
        }
        fBase[r] += A * (B[i] * sx + B[6 + i] * sy + B[12 + i] * sxy);
      }
      if (hasFixed) {
        this.triangleStiffness(t, Ke);
        for (let i = 0; i < 6; i++) {
          const ri = index[2 * s.triNodes[3 * t + (i >> 1)] + (i & 1)];
          if (ri < 0) continue;
          for (let j = 0; j < 6; j++) {
            const gj = 2 * s.triNodes[3 * t + (j >> 1)] + (j & 1);
            if (index[gj] < 0) fBase[ri] -= Ke[6 * i + j] * presc[gj];
          }
        }
      }
    }
    if (opts.extraRhs) for (let d = 0; d < index.length; d++) if (index[d] >= 0) fBase[index[d]] += opts.extraRhs[d];

    const rhs = this.mechRhs;
    const sol = this.mechSol;
    let iterations = 0;
    let maxDamageChange = 0;
    let converged = false;
    let omega = 1;
    const maxIt = implex ? 1 : Math.max(1, opts.maxIterations);
    let extrapolationError = 0;
    let meanExtrapolationError = 0;
    for (let it = 1; it <= maxIt; it++) {
      iterations = it;
      // The matrix depends only on the per-point stiffnesses (k_n, k_s); refactorise only when one changed since
      // the last factorisation (the result is the same as refactorising every time, bit for bit).
      let stiffnessChanged = !this.mechFactored;
      for (let e = 0; e < ni; e++) {
        const K = s.interfaceMaterials[s.interfaceMaterial[e]].penalty_MPa_per_um;
        for (let p = 0; p < 2; p++) {
          const q = 2 * e + p;
          const sf = Math.max(1 - this.damageTrial[q], STIFFNESS_FLOOR);
          const kn = this.contact[q] ? K : sf * K;
          const ks = sf * K;
          if (kn !== this.pointStiffness[2 * q] || ks !== this.pointStiffness[2 * q + 1]) {
            stiffnessChanged = true;
            this.pointStiffness[2 * q] = kn;
            this.pointStiffness[2 * q + 1] = ks;
          }
        }
      }
      if (stiffnessChanged) solver.values.set(this.bulkStiffnessValues);
      rhs.set(fBase);
      for (let e = 0; e < ni; e++) for (let p = 0; p < 2; p++) this.addCohesivePair(e, p, rhs, stiffnessChanged);
      if (stiffnessChanged) {
        this.mechFactored = false; // stays false if the factorisation throws
        solver.factor();
        this.mechFactored = true;
      }
      solver.solve(rhs, sol);
      for (let d = 0; d < index.length; d++) u[d] = index[d] >= 0 ? sol[index[d]] : presc[d];

      // Damage update and contact state.
      // Residual r = G(D_trial) − D_trial of the damage fixed-point map, then the Aitken-relaxed update (contract):
      // ω_k = clamp(−ω_{k−1} r_{k−1}·(r_k − r_{k−1}) / |r_k − r_{k−1}|², 0.5, 20), ω_1 = 1,
      // D_trial ← min(1, max(D_committed, D_trial + ω_k r_k)).
      maxDamageChange = 0;
      let contactChanged = false;
      const r = this.damageResidual;
      const rPrev = this.damageResidualPrev;
      for (let e = 0; e < ni; e++) {
        const im = s.interfaceMaterials[s.interfaceMaterial[e]];
        for (let p = 0; p < 2; p++) {
          const q = 2 * e + p;
          const [dn, ds] = this.jump(e, p);
          r[q] = this.updatedDamage(q, dn, ds, im, opts.dt_s) - this.damageTrial[q];
          maxDamageChange = Math.max(maxDamageChange, Math.abs(r[q]));
          const c = dn < 0 ? 1 : 0;
          if (c !== this.contact[q]) contactChanged = true;
          this.contact[q] = c;
        }
      }
      if (implex) {
        // D_trial ← D_implicit(u) = D̃ + r (no relaxation); the step is complete by construction.
        for (let q = 0; q < 2 * ni; q++) this.damageTrial[q] = this.damageTrial[q] + r[q];
        extrapolationError = maxDamageChange;
        let sumW = 0;
        let sumWR = 0;
        for (let e = 0; e < ni; e++) {
          if (!s.interfaceMaterials[s.interfaceMaterial[e]].damageable) continue;
          const w = this.ifFrame[5 * e + 4];
          for (let p = 0; p < 2; p++) {
            sumW += w;
            sumWR += w * Math.abs(r[2 * e + p]);
          }
        }
        meanExtrapolationError = extrapolationError > 0 && sumW > 0 ? sumWR / sumW : 0;
        converged = true;
        break;
      }
      omega = it === 1 ? 1 : aitkenRelaxation(omega, rPrev, r);
      for (let q = 0; q < 2 * ni; q++) {
        this.damageTrial[q] = Math.min(1, Math.max(this.damageCommitted[q], this.damageTrial[q] + omega * r[q]));
        rPrev[q] = r[q];
      }
      if (maxDamageChange <= opts.tolerance && !contactChanged) {
        converged = true;
        break;
      }
    }

    // Reported interface state from the final u and the final trial damage; trial history.
    let maxDamageIncrement = 0;
    let softeningPoints = 0;
    for (let e = 0; e < ni; e++) {
      const im = s.interfaceMaterials[s.interfaceMaterial[e]];
      const K = im.penalty_MPa_per_um;
      for (let p = 0; p < 2; p++) {
        const q = 2 * e + p;
        const [dn, ds] = this.jump(e, p);
        const lambda = Math.hypot(Math.max(dn, 0), ds);
        this.kappaTrial[q] = Math.max(this.kappaCommitted[q], lambda);
        const D = this.damageTrial[q];
        const sf = Math.max(1 - D, STIFFNESS_FLOOR);
        this.openingOut[2 * q] = dn;
        this.openingOut[2 * q + 1] = ds;
        this.tractionOut[2 * q] = dn >= 0 ? sf * K * dn : K * dn;
        this.tractionOut[2 * q + 1] = sf * K * ds;
        maxDamageIncrement = Math.max(maxDamageIncrement, D - this.damageCommitted[q]);
        if (D > 0 && D < 1) softeningPoints++;
      }
    }
    // History rate this solve would commit: IMPL-EX steps only (an implicit solve leaves κ̇ = 0).
    for (let q = 0; q < 2 * ni; q++)
      this.kappaRateTrial[q] = implex && opts.dt_s > 0 ? (this.kappaTrial[q] - this.kappaCommitted[q]) / opts.dt_s : 0;
    this.computeStress();
    return {
      converged,
      iterations,
      linearIterations: 0,
      maxDamageChange,
      maxDamageIncrement,
      softeningPoints,
      linearSolves: iterations,
      extrapolationError,
      meanExtrapolationError,
    };
  }

  /**
   * D_new = max(D_committed, D_v), D_v = D_static(κ) (η = 0) or (D_committed + (Δt/η) D_static) / (1 + Δt/η),
   * κ = max(κ_committed, λ), λ = sqrt(max(δn, 0)² + δs²). Non-damageable: 0.
   */
  private updatedDamage(q: number, dn: number, ds: number, im: KernelInterfaceMaterial, dt_s: number): number {
    if (!im.damageable) return 0;
    const lambda = Math.hypot(Math.max(dn, 0), ds);
    return this.dampedDamage(q, Math.max(this.kappaCommitted[q], lambda), im, dt_s);
  }

  /** max(D_committed, viscous(D_static(κ))) at point q; 0 on non-damageable interfaces. */
  private dampedDamage(q: number, kappa: number, im: KernelInterfaceMaterial, dt_s: number): number {
    if (!im.damageable) return 0;
    const K = im.penalty_MPa_per_um;
    const lambda0 = im.strength_MPa / K;
    const lambdaF = (2 * im.Gc_J_m2) / im.strength_MPa;
    const Dstatic = bilinearDamage(kappa, lambda0, lambdaF);
    const Dc = this.damageCommitted[q];
    let Dv = Dstatic;
    if (im.viscosity_s > 0) {
      const r = dt_s / im.viscosity_s;
      Dv = (Dc + r * Dstatic) / (1 + r);
    }
    return Math.max(Dc, Dv);
  }

  /**
   * Adds w (k_n n nᵀ + k_s t tᵀ) to the [a, b] block (+ on aa, bb; − on ab, ba) when `toMatrix`, and always the
   * fixed-dof load. k_n = K (contact) or s K, k_s = s K, s = max(1 − D_trial, 1e-8), from `pointStiffness`.
   */
  private addCohesivePair(e: number, p: number, rhs: Float64Array, toMatrix: boolean): void {
    const s = this.s;
    const q = 2 * e + p;
    const f = this.ifFrame;
    const tx = f[5 * e],
      ty = f[5 * e + 1],
      nx = f[5 * e + 2],
      ny = f[5 * e + 3],
      w = f[5 * e + 4];
    const kn = this.pointStiffness[2 * q],
      ks = this.pointStiffness[2 * q + 1];
    const kxx = w * (kn * nx * nx + ks * tx * tx);
    const kxy = w * (kn * nx * ny + ks * tx * ty);
    const kyy = w * (kn * ny * ny + ks * ty * ty);
    // 4×4 block over [ua_x, ua_y, ub_x, ub_y]: [[k, −k], [−k, k]].
    const k2 = [kxx, kxy, kxy, kyy];
    const a = s.interfaceNodes[4 * e + p],
      b = s.interfaceNodes[4 * e + 2 + p];
    const gd = [2 * a, 2 * a + 1, 2 * b, 2 * b + 1];
    const v = this.mechSolver.values;
    const posBase = 32 * e + 16 * p;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        const sign = i < 2 === j < 2 ? 1 : -1;
        const kij = sign * k2[2 * (i & 1) + (j & 1)];
        const pos = this.mechIfPos[posBase + 4 * i + j];
        if (toMatrix && pos >= 0) v[pos] += kij;
        const ri = this.mechIndex[gd[i]];
        if (ri >= 0 && this.mechIndex[gd[j]] < 0) rhs[ri] -= kij * this.prescribedFull[gd[j]];
      }
  }

  /**
   * σ_loc = Cr (T ε) − σ*_loc, σ_glob = Tᵀ σ_loc; implemented as σ = C_glob ε − σ*, equal by construction.
   * σ33 (plane strain) = C12 (ε11 − ε_a) + C13 (ε22 − ε_c) − C11 ε_a with ε11, ε22 the grain-frame strains.
   */
  private computeStress(): void {
    const s = this.s;
    const out = this.stressOut;
    const u = this.u;
    const g = this.geom.grad;
    for (let t = 0; t < s.triCount; t++) {
      let exx = 0,
        eyy = 0,
        gxy = 0;
      for (let i = 0; i < 3; i++) {
        const n = s.triNodes[3 * t + i];
        const gx = g[6 * t + i],
          gy = g[6 * t + 3 + i];
        exx += gx * u[2 * n];
        eyy += gy * u[2 * n + 1];
        gxy += gy * u[2 * n] + gx * u[2 * n + 1];
      }
      const [ea, ec] = this.triangleLatticeStrain(t);
      const C = this.triC,
        G = this.triEig;
      const o = 9 * t;
      out[4 * t] = C[o] * exx + C[o + 1] * eyy + C[o + 2] * gxy - (G[6 * t] * ea + G[6 * t + 3] * ec);
      out[4 * t + 1] = C[o + 3] * exx + C[o + 4] * eyy + C[o + 5] * gxy - (G[6 * t + 1] * ea + G[6 * t + 4] * ec);
      out[4 * t + 2] = C[o + 6] * exx + C[o + 7] * eyy + C[o + 8] * gxy - (G[6 * t + 2] * ea + G[6 * t + 5] * ec);
      if (s.plane === 'strain') {
        const T = this.triT;
        const e11 = T[o] * exx + T[o + 1] * eyy + T[o + 2] * gxy;
        const e22 = T[o + 3] * exx + T[o + 4] * eyy + T[o + 5] * gxy;
        const m = s.materials[s.triMaterial[t]];
        out[4 * t + 3] = m.C12_MPa * (e11 - ea) + m.C13_MPa * (e22 - ec) - m.C11_MPa * ea;
      } else {
        out[4 * t + 3] = 0;
      }
    }
  }

  commitDamage(): void {
    this.damageCommitted.set(this.damageTrial);
    this.kappaCommitted.set(this.kappaTrial);
    this.kappaRateCommitted.set(this.kappaRateTrial);
    if (this.hasConductance) this.diffDirty = true;
  }

  saveState(): void {
    this.backupX.set(this.x);
    this.backupU.set(this.u);
    this.backupD.set(this.damageCommitted);
    this.backupKappa.set(this.kappaCommitted);
    this.backupKappaRate.set(this.kappaRateCommitted);
  }

  exportState(): KernelState {
    return exportKernelState(this);
  }

  importState(state: KernelState): void {
    importKernelState(this, state);
  }

  resetSolverCaches(): void {
    this.diffDirty = true;
    this.diffFactoredDt = NaN;
    this.mechFactored = false;
  }

  restoreState(): void {
    this.x.set(this.backupX);
    this.u.set(this.backupU);
    this.damageCommitted.set(this.backupD);
    this.kappaCommitted.set(this.backupKappa);
    this.kappaRateCommitted.set(this.backupKappaRate);
    if (this.hasConductance) this.diffDirty = true;
  }

  li(): Float64Array {
    return this.x;
  }
  displacement(): Float64Array {
    return this.u;
  }
  damage(): Float64Array {
    return this.damageCommitted;
  }
  trialDamage(): Float64Array {
    return this.damageTrial;
  }
  kappa(): Float64Array {
    return this.kappaCommitted;
  }
  kappaRate(): Float64Array {
    return this.kappaRateCommitted;
  }
  opening(): Float64Array {
    return this.openingOut;
  }
  traction(): Float64Array {
    return this.tractionOut;
  }
  stress(): Float64Array {
    return this.stressOut;
  }

  memoryBytes(): number {
    const arrays = [
      this.x,
      this.u,
      this.damageCommitted,
      this.kappaCommitted,
      this.damageTrial,
      this.kappaTrial,
      this.kappaRateCommitted,
      this.kappaRateTrial,
      this.backupKappaRate,
      this.openingOut,
      this.tractionOut,
      this.stressOut,
      this.backupX,
      this.backupU,
      this.backupD,
      this.backupKappa,
      this.diffTriPos,
      this.diffIfPos,
      this.massValues,
      this.conductivityValues,
      this.diffRhs,
      this.mechIndex,
      this.mechTriPos,
      this.mechIfPos,
      this.bulkStiffnessValues,
      this.triC,
      this.triEig,
      this.triCr,
      this.triT,
      this.mechRhs,
      this.mechSol,
      this.prescribedFull,
      this.contact,
      this.pointStiffness,
      this.damageResidual,
      this.damageResidualPrev,
      this.ifFrame,
      this.geom?.area,
      this.geom?.grad,
    ];
    let bytes = 0;
    for (const a of arrays) if (a) bytes += a.byteLength;
    if (this.diffSolver) bytes += this.diffSolver.bytes();
    if (this.mechSolver) bytes += this.mechSolver.bytes();
    return bytes;
  }

  dispose(): void {
    this.x = new Float64Array(0);
    this.u = new Float64Array(0);
  }
}

/** Area A = ½ [(x1 − x0)(y2 − y0) − (x2 − x0)(y1 − y0)] and ∇N_i = (y_j − y_k, x_k − x_j) / (2A), (i, j, k) cyclic. */
function computeGeometry(s: KernelSetup): TriangleGeometry {
  const nt = s.triCount;
  const area = new Float64Array(nt);
  const grad = new Float64Array(6 * nt);
  const X = s.coords_um;
  for (let t = 0; t < nt; t++) {
    const n0 = s.triNodes[3 * t],
      n1 = s.triNodes[3 * t + 1],
      n2 = s.triNodes[3 * t + 2];
    const x0 = X[2 * n0],
      y0 = X[2 * n0 + 1],
      x1 = X[2 * n1],
      y1 = X[2 * n1 + 1],
      x2 = X[2 * n2],
      y2 = X[2 * n2 + 1];
    const twoA = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
    if (!(twoA > 0)) throw new Error(`ts-kernel: triangle ${t} has non-positive area`);
    area[t] = twoA / 2;
    grad[6 * t] = (y1 - y2) / twoA;
    grad[6 * t + 1] = (y2 - y0) / twoA;
    grad[6 * t + 2] = (y0 - y1) / twoA;
    grad[6 * t + 3] = (x2 - x1) / twoA;
    grad[6 * t + 4] = (x0 - x2) / twoA;
    grad[6 * t + 5] = (x1 - x0) / twoA;
  }
  return { area, grad };
}
