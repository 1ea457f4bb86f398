/**
 * Li diffusion, backward Euler with consistent mass (mirrors assembly/diffusion.ts; docs/physics.md §3.1):
 *
 *   (M + Δt K_D + Δt K_if(D_committed)) x¹ = M x⁰ − Δt f_q + Δt f_extra,
 *   M_e = A/12 [2 1 1; 1 2 1; 1 1 2],   K_e,ij = A ∇N_iᵀ D_g ∇N_j,   D_g in-plane block of D_ab (I − nnᵀ) + D_c nnᵀ,
 *   f_q,i = Σ_segments q_s L_s / 2 at each end node,   K_if: conductance k (1 − D_p) L/2 at each node pair.
 *
 * Concentration-dependent D (materials with a `diffusivityFit`): the element's D is its record's tensor times
 * φ(x̄_e) = D_fit(x̄_e) / D_ab (`diffusivityScale`), x̄_e the element mean of x at the start of the step (K_D lagged
 * by one step), and K_D is reassembled whenever some φ changed.
 *
 * The oracle refactorises whenever Δt, K_D or the committed damage changed (no stale-factor solves: it is the direct
 * reference the WASM kernel's solver policy is checked against).
 */
import type { KernelDiffusivityFit, SolveReport } from '../kernel-api.js';
import { SparseCholesky, adjacencyFromCliques } from './sparse-cholesky.js';
import { segmentLength } from './triangle.js';
import { exp } from '../../math/portable.js';
import { FRAME_LENGTH, FRAME_STRIDE } from './cohesive.js';
import type { KernelFields } from './state.js';

/**
 * For an element entry (di, dj) of a symmetric matrix stored as its permuted upper triangle: true when this visit
 * should be added. Off-diagonal pairs are visited as (di, dj) and (dj, di) by the element loops; only the one with
 * pinv[di] < pinv[dj] is added (and the diagonal always).
 */
export function isUpperVisit(solver: SparseCholesky, di: number, dj: number): boolean {
  return solver.pinv[di] <= solver.pinv[dj];
}

/**
 * D_fit(x) / D_ab: φ = (prefactor / D_ab) · 10^(c0 + Σ_k a_k exp(−(s − b_k)²/c_k)), s = x clamped to
 * [sMin, sMax] (kernel-api.ts KernelDiffusivityFit; mirrors `diffusivityScale` in assembly/diffusion.ts, whose
 * `scale` slot is prefactor / D_ab).
 */
export function diffusivityScale(fit: KernelDiffusivityFit, D_ab_um2_s: number, x: number): number {
  const s = Math.min(Math.max(x, fit.sMin), fit.sMax);
  let e = fit.c0;
  for (let k = 0; k < 3; k++) {
    const d = s - fit.centre[k];
    e += fit.amplitude[k] * exp(-(d * d) / fit.width[k]);
  }
  // 10^e as exp(e ln 10): a few ulps from the kernel's pow(10, e), far inside the oracle's 1e-10 agreement
  return (fit.prefactor_um2_s / D_ab_um2_s) * exp(e * Math.LN10);
}

export class Diffusion {
  readonly solver: SparseCholesky;
  /** Positions in solver.values of the 3×3 triangle blocks (9 per triangle, −1 = not stored). */
  private readonly triPos: Int32Array;
  /** Positions of the 2×2 conductance blocks per interface node pair (8 per interface: p = 0, 1 × [aa, ab, ba, bb]). */
  private readonly interfacePos: Int32Array;
  private readonly massValues: Float64Array;
  private readonly conductivityValues: Float64Array;
  private readonly hasConductance: boolean;
  /** φ per triangle that `conductivityValues` holds (1 for constant D); null when no material has a fit. */
  private readonly assembledScale: Float64Array | null;
  private factoredDt = NaN;
  private dirty = true;
  private readonly rhs: Float64Array;

  /** Pattern, M and K_D (setupDiffusion of the WASM kernel). */
  constructor(private readonly f: KernelFields) {
    const s = f.setup;
    const nd = s.diffusionDofCount;
    const dof = s.diffusionDof;
    const cliques: number[][] = [];
    for (let t = 0; t < s.triCount; t++)
      cliques.push([dof[s.triNodes[3 * t]], dof[s.triNodes[3 * t + 1]], dof[s.triNodes[3 * t + 2]]]);
    let hasConductance = false;
    for (let e = 0; e < s.interfaceCount; e++)
      for (let p = 0; p < 2; p++) {
        const da = dof[s.interfaceNodes[4 * e + p]],
          db = dof[s.interfaceNodes[4 * e + 2 + p]];
        if (da !== db) {
          cliques.push([da, db]);
          hasConductance = true;
        }
      }
    this.hasConductance = hasConductance;
    const { adjPtr, adjIdx } = adjacencyFromCliques(nd, cliques);
    const coords = new Float64Array(2 * nd);
    for (let n = s.nodeCount - 1; n >= 0; n--) {
      coords[2 * dof[n]] = s.coords_um[2 * n];
      coords[2 * dof[n] + 1] = s.coords_um[2 * n + 1];
    }
    const solver = new SparseCholesky(nd, adjPtr, adjIdx, coords);
    this.solver = solver;
    this.triPos = new Int32Array(9 * s.triCount);
    for (let t = 0; t < s.triCount; t++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          const di = dof[s.triNodes[3 * t + i]],
            dj = dof[s.triNodes[3 * t + j]];
          this.triPos[9 * t + 3 * i + j] = solver.position(di, dj);
        }
    this.interfacePos = new Int32Array(8 * s.interfaceCount).fill(-1);
    for (let e = 0; e < s.interfaceCount; e++)
      for (let p = 0; p < 2; p++) {
        const da = dof[s.interfaceNodes[4 * e + p]],
          db = dof[s.interfaceNodes[4 * e + 2 + p]];
        if (da === db) continue;
        const o = 8 * e + 4 * p;
        this.interfacePos[o] = solver.position(da, da);
        this.interfacePos[o + 1] = solver.position(da, db);
        this.interfacePos[o + 3] = solver.position(db, db);
      }
    this.massValues = new Float64Array(solver.values.length);
    this.conductivityValues = new Float64Array(solver.values.length);
    const anyFit = f.oriented.records.some((r) => s.materials[r.material].diffusivityFit !== undefined);
    this.assembledScale = anyFit ? new Float64Array(s.triCount).fill(1) : null;
    this.assembleDiffusion(true);
    this.rhs = new Float64Array(nd);
  }

  /**
   * Consistent mass M_e = A/12 [2 1 1; 1 2 1; 1 1 2] (`withMass`) and conductivity K_e[i][j] = φ_e A ∇N_iᵀ D_g ∇N_j
   * (φ_e = 1 for constant D), assembled once (K_D again whenever D(x) changed)
   * into the pattern (stored as the permuted upper triangle: of the two visits (i, j), (j, i) of an off-diagonal
   * pair only the upper one is added, see `isUpperVisit`).
   */
  private assembleDiffusion(withMass: boolean): void {
    const s = this.f.setup;
    const dof = s.diffusionDof;
    const { area, grad } = this.f.geometry;
    for (let t = 0; t < s.triCount; t++) {
      const phi = this.assembledScale ? this.assembledScale[t] : 1;
      // the in-plane block of D = D_ab (I − n nᵀ) + D_c n nᵀ (oriented-materials.ts)
      const [Dxx, Dxy, Dyy] = this.f.oriented.records[this.f.oriented.triRecord[t]].diffusivity_um2_s;
      const A = area[t];
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          if (!isUpperVisit(this.solver, dof[s.triNodes[3 * t + i]], dof[s.triNodes[3 * t + j]])) continue;
          const pos = this.triPos[9 * t + 3 * i + j];
          const gxi = grad[6 * t + i],
            gyi = grad[6 * t + 3 + i],
            gxj = grad[6 * t + j],
            gyj = grad[6 * t + 3 + j];
          if (withMass) this.massValues[pos] += (A / 12) * (i === j ? 2 : 1);
          this.conductivityValues[pos] += phi * A * (gxi * (Dxx * gxj + Dxy * gyj) + gyi * (Dxy * gxj + Dyy * gyj));
        }
    }
  }

  /**
   * D(x): φ of every triangle with a fit from the element mean of x (start of the step); when any changed, K_D is
   * assembled afresh with the new φ and the system must be refactorised.
   */
  private updateConductivity(): void {
    const scale = this.assembledScale;
    if (!scale) return;
    const s = this.f.setup;
    const dof = s.diffusionDof;
    const x = this.f.li;
    const { records, triRecord } = this.f.oriented;
    let changed = false;
    for (let t = 0; t < s.triCount; t++) {
      const m = s.materials[records[triRecord[t]].material];
      if (!m.diffusivityFit) continue;
      const xMean = (x[dof[s.triNodes[3 * t]]] + x[dof[s.triNodes[3 * t + 1]]] + x[dof[s.triNodes[3 * t + 2]]]) / 3;
      const phi = diffusivityScale(m.diffusivityFit, m.D_ab_um2_s, xMean);
      if (phi !== scale[t]) {
        scale[t] = phi;
        changed = true;
      }
    }
    if (!changed) return;
    this.conductivityValues.fill(0);
    this.assembleDiffusion(false);
    this.dirty = true;
  }

  /** The committed damage changed: the conductance terms (if any) must be reassembled. */
  damageChanged(): void {
    if (this.hasConductance) this.dirty = true;
  }

  /** Drop the factor: the next step assembles and factorises afresh. */
  resetDiffusionCaches(): void {
    this.dirty = true;
    this.factoredDt = NaN;
  }

  /** solver.values = M + Δt K_D + Δt Σ k (1 − D_p) L/2 [1 −1; −1 1] (committed damage). */
  private assembleSystem(dt_s: number): void {
    const s = this.f.setup;
    const v = this.solver.values;
    for (let k = 0; k < v.length; k++) v[k] = this.massValues[k] + dt_s * this.conductivityValues[k];
    if (!this.hasConductance) return;
    for (let e = 0; e < s.interfaceCount; e++) {
      const im = s.interfaceMaterials[s.interfaceMaterial[e]];
      const w = this.f.frames[FRAME_STRIDE * e + FRAME_LENGTH] / 2;
      for (let p = 0; p < 2; p++) {
        const o = 8 * e + 4 * p;
        if (this.interfacePos[o] < 0) continue;
        const g = dt_s * w * im.liConductance_um_s * (1 - this.f.damage[2 * e + p]);
        v[this.interfacePos[o]] += g;
        v[this.interfacePos[o + 3]] += g;
        v[this.interfacePos[o + 1]] -= g;
      }
    }
  }

  /** One backward-Euler step of x (in place). */
  diffusionStep(dt_s: number, segmentFlux_um_s: Float64Array, extraRhs?: Float64Array): SolveReport {
    const s = this.f.setup;
    const solver = this.solver;
    const dof = s.diffusionDof;
    let refactored = false;
    this.updateConductivity();
    if (this.dirty || dt_s !== this.factoredDt) {
      this.assembleSystem(dt_s);
      solver.factor();
      this.factoredDt = dt_s;
      this.dirty = false;
      refactored = true;
    }
    // Right-hand side: M x⁰ (element by element), − Δt f_q, + Δt f_extra.
    const rhs = this.rhs;
    rhs.fill(0);
    const { area } = this.f.geometry;
    const x = this.f.li;
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
      const f = (dt_s * segmentFlux_um_s[g] * segmentLength(s, n0, n1)) / 2;
      rhs[dof[n0]] -= f;
      rhs[dof[n1]] -= f;
    }
    if (extraRhs) for (let i = 0; i < rhs.length; i++) rhs[i] += dt_s * extraRhs[i];
    solver.solve(rhs, x);
    return { iterations: 0, relativeResidual: solver.relativeResidual(rhs, x), refactored };
  }

  /** ∫ x dA = Σ_e (A_e / 3) (x0 + x1 + x2) (row sums of the consistent mass). */
  liIntegral(): number {
    const s = this.f.setup;
    const dof = s.diffusionDof;
    const x = this.f.li;
    let sum = 0;
    for (let t = 0; t < s.triCount; t++) {
      sum +=
        (this.f.geometry.area[t] / 3) *
        (x[dof[s.triNodes[3 * t]]] + x[dof[s.triNodes[3 * t + 1]]] + x[dof[s.triNodes[3 * t + 2]]]);
    }
    return sum;
  }

  bytes(): number {
    return (
      this.triPos.byteLength +
      this.interfacePos.byteLength +
      this.massValues.byteLength +
      this.conductivityValues.byteLength +
      this.rhs.byteLength +
      this.solver.bytes()
    );
  }
}
