/**
 * Quasi-static equilibrium with lithiation eigenstrain and cohesive interfaces (mirrors assembly/mechanics.ts;
 * the damage-secant iteration and IMPL-EX of kernel-api.ts and docs/solver.md):
 *
 *   K(D, contact) u = f_L(x) + f_extra,   K = K_bulk + Σ_pairs w (k_n n nᵀ + k_s t tᵀ) ⊗ [[1, −1], [−1, 1]],
 *
 * k_n = s K (open) or K (contact), k_s = s K, s = max(1 − D_trial, 1e-8), w = L/2; fixed dofs eliminated with their
 * prescribed values moved to the right-hand side. Implicit: D_trial ← D_committed, repeat {assemble, solve,
 * κ = max(κ_committed, λ), D_new = max(D_committed, viscous(D_static(κ))), Aitken-relaxed update} until
 * max |D_new − D_trial| ≤ tol and no contact state changed. IMPL-EX: one solve with the damage extrapolated from
 * κ_n + Δt κ̇_n. Linear systems: a direct sparse Cholesky solve, refactorised only when a point stiffness changed.
 *
 * Generalized plane strain (plane "generalized-strain", physics §7): one more unknown, the uniform axial strain
 * ε_zz, with σ_p += c ε_zz and σ_zz = cᵀε_p + c_zz ε_zz + s33a ε_a + s33c ε_c per triangle, and the condition
 * ∫σ_zz dA = 0. With b = Σ_e A Bᵀ c (the coupling vector), k_zz = Σ_e A c_zz and h = Σ_e A (s33a ε_a + s33c ε_c):
 *   K u + b ε_zz = f,   bᵀu + k_zz ε_zz + h = 0,
 * solved by a Schur complement on the same factor: K u1 = f, K u2 = b,
 *   ε_zz = −(bᵀu1 + b_fixedᵀ u_fixed + h) / (k_zz − bᵀu2),   u = u1 − ε_zz u2.
 */
import type { KernelInterfaceMaterial, MechanicsOptions, MechanicsReport } from '../kernel-api.js';
import { SparseCholesky, adjacencyFromCliques } from './sparse-cholesky.js';
import { latticeStrainOfTriangle } from './elasticity.js';
import {
  FRAME_LENGTH,
  FRAME_NX,
  FRAME_NY,
  FRAME_STRIDE,
  FRAME_TX,
  FRAME_TY,
  cohesiveTraction,
  fatigueDamageIncrement,
  kappaOfDamage,
  pointOpening,
  staticDamage,
  stiffnessFactor,
} from './cohesive.js';
import { isUpperVisit } from './diffusion.js';
import type { KernelFields } from './state.js';
import { hypot } from '../../math/portable.js';

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

export class Mechanics {
  /** Reduced index of every mechanics dof (2 per node), −1 for fixed dofs. */
  private readonly reducedIndex: Int32Array;
  private readonly freeCount: number;
  readonly solver: SparseCholesky;
  private readonly triPos: Int32Array;
  /** 16 positions per node pair (2 per interface) for the 4 dofs [ua_x, ua_y, ub_x, ub_y]. */
  private readonly interfacePos: Int32Array;
  private readonly bulkStiffnessValues: Float64Array;
  /** Per triangle: section stiffness C (9), eigenstress per unit ε_a, ε_c (6), σ_zz coefficients s33 (3), s33a, s33c. */
  private readonly triC: Float64Array;
  /** Generalized plane strain: per triangle c = C_p,zz (3) and c_zz (1); the coupling b over all dofs, k_zz. */
  private readonly triAxial: Float64Array;
  private readonly axialCoupling: Float64Array;
  /** b on the free dofs (reduced numbering). */
  private readonly axialCouplingFree: Float64Array;
  private readonly axialStiffness: number;
  private readonly axialSolution: Float64Array;
  /** ε_zz of the last solve (0 unless generalized plane strain). */
  private axialStrain = 0;
  private readonly triEig: Float64Array;
  private readonly triStressZz: Float64Array;
  private readonly rhs: Float64Array;
  private readonly solution: Float64Array;
  private readonly fixedValues: Float64Array;
  /** (k_n, k_s) per interface point in the last factorised matrix. */
  private readonly pointStiffness: Float64Array;
  /** Residuals r = G(D_trial) − D_trial of the current and the previous secant iteration (Aitken relaxation). */
  private readonly damageResidual: Float64Array;
  private readonly damageResidualPrev: Float64Array;
  private factored = false;
  private relaxation = 1;

  /** Reduced numbering, pattern, constitutive data, K_bulk (setupMechanics of the WASM kernel). */
  constructor(private readonly f: KernelFields) {
    const s = f.setup;
    const nn = s.nodeCount;
    const index = new Int32Array(2 * nn).fill(0);
    for (let k = 0; k < s.fixedDofs.length; k++) index[s.fixedDofs[k]] = -1;
    let free = 0;
    for (let d = 0; d < 2 * nn; d++) if (index[d] === 0) index[d] = free++;
    this.reducedIndex = index;
    this.freeCount = free;

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
    this.solver = solver;

    // Element positions (−1: fixed row/column or the lower visit of a symmetric pair).
    const pos = (ri: number, rj: number): number =>
      ri < 0 || rj < 0 || !isUpperVisit(solver, ri, rj) ? -1 : solver.position(ri, rj);
    this.triPos = new Int32Array(36 * s.triCount);
    for (let t = 0; t < s.triCount; t++)
      for (let i = 0; i < 6; i++)
        for (let j = 0; j < 6; j++) {
          const ri = index[2 * s.triNodes[3 * t + (i >> 1)] + (i & 1)];
          const rj = index[2 * s.triNodes[3 * t + (j >> 1)] + (j & 1)];
          this.triPos[36 * t + 6 * i + j] = pos(ri, rj);
        }
    this.interfacePos = new Int32Array(32 * s.interfaceCount);
    for (let e = 0; e < s.interfaceCount; e++)
      for (let p = 0; p < 2; p++) {
        const a = s.interfaceNodes[4 * e + p],
          b = s.interfaceNodes[4 * e + 2 + p];
        const d = [2 * a, 2 * a + 1, 2 * b, 2 * b + 1].map((g) => index[g]);
        for (let i = 0; i < 4; i++)
          for (let j = 0; j < 4; j++) this.interfacePos[32 * e + 16 * p + 4 * i + j] = pos(d[i], d[j]);
      }

    // Section constants per triangle, from its oriented material record (the WASM kernel reads the record directly).
    const nt = s.triCount;
    this.triC = new Float64Array(9 * nt);
    this.triEig = new Float64Array(6 * nt);
    this.triStressZz = new Float64Array(5 * nt);
    for (let t = 0; t < nt; t++) {
      const r = f.oriented.records[f.oriented.triRecord[t]];
      const [kxx, kxy_, kxs, kyy, kys, kss] = r.stiffness_MPa;
      this.triC.set([kxx, kxy_, kxs, kxy_, kyy, kys, kxs, kys, kss], 9 * t);
      this.triEig.set([...r.eigenstressA_MPa, ...r.eigenstressC_MPa], 6 * t);
      this.triStressZz.set([...r.stressZz_MPa, r.stressZzA_MPa, r.stressZzC_MPa], 5 * t);
    }
    this.triAxial = new Float64Array(4 * nt);
    this.axialCoupling = new Float64Array(2 * nn);
    let kzz = 0;
    if (s.plane === 'generalized-strain') {
      for (let t = 0; t < nt; t++) {
        const r = f.oriented.records[f.oriented.triRecord[t]];
        this.triAxial.set([...r.stiffnessZz_MPa, r.stiffnessZzZz_MPa], 4 * t);
        const A = f.geometry.area[t];
        const B = this.triangleB(t);
        const c = r.stiffnessZz_MPa;
        for (let i = 0; i < 6; i++) {
          const d = 2 * s.triNodes[3 * t + (i >> 1)] + (i & 1);
          this.axialCoupling[d] += A * (B[i] * c[0] + B[6 + i] * c[1] + B[12 + i] * c[2]);
        }
        kzz += A * r.stiffnessZzZz_MPa;
      }
    }
    this.axialStiffness = kzz;
    this.axialCouplingFree = new Float64Array(free);
    for (let d = 0; d < 2 * nn; d++) if (index[d] >= 0) this.axialCouplingFree[index[d]] = this.axialCoupling[d];
    this.axialSolution = new Float64Array(free);
    this.bulkStiffnessValues = new Float64Array(solver.values.length);
    this.assembleElasticity();
    this.rhs = new Float64Array(free);
    this.solution = new Float64Array(free);
    this.fixedValues = new Float64Array(2 * nn);
    this.pointStiffness = new Float64Array(4 * s.interfaceCount);
    this.damageResidual = new Float64Array(2 * s.interfaceCount);
    this.damageResidualPrev = new Float64Array(2 * s.interfaceCount);
  }

  /** K_bulk: K_e = A Bᵀ C_glob B of every triangle, assembled once (it does not depend on x, u or D). */
  private assembleElasticity(): void {
    const Ke = new Float64Array(36);
    for (let t = 0; t < this.f.setup.triCount; t++) {
      this.triangleStiffness(t, Ke);
      for (let k = 0; k < 36; k++) {
        const p = this.triPos[36 * t + k];
        if (p >= 0) this.bulkStiffnessValues[p] += Ke[k];
      }
    }
  }

  /**
   * B (3×6) of triangle t: εxx = Σ ∂N_i/∂x u_ix, εyy = Σ ∂N_i/∂y u_iy, γxy = Σ (∂N_i/∂y u_ix + ∂N_i/∂x u_iy).
   * K_e = A Bᵀ C_glob B (6×6, dof order [u0x, u0y, u1x, u1y, u2x, u2y]).
   */
  private triangleStiffness(t: number, Ke: Float64Array): void {
    const B = this.triangleB(t);
    const C = this.triC.subarray(9 * t, 9 * t + 9);
    const A = this.f.geometry.area[t];
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
    const g = this.f.geometry.grad;
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

  /** Load independent of damage: f_L(x) + extraRhs − K_bulk(free, fixed) u_fixed. */
  private assembleLoad(extraRhs: Float64Array | undefined): Float64Array {
    const s = this.f.setup;
    const index = this.reducedIndex;
    const presc = this.fixedValues;
    const fBase = new Float64Array(this.freeCount);
    const B = new Float64Array(18);
    const Ke = new Float64Array(36);
    for (let t = 0; t < s.triCount; t++) {
      const [ea, ec] = latticeStrainOfTriangle(s, this.f.li, t);
      const g = this.triEig;
      const sx = g[6 * t] * ea + g[6 * t + 3] * ec;
      const sy = g[6 * t + 1] * ea + g[6 * t + 4] * ec;
      const sxy = g[6 * t + 2] * ea + g[6 * t + 5] * ec;
      B.set(this.triangleB(t));
      const A = this.f.geometry.area[t];
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
    if (extraRhs) for (let d = 0; d < index.length; d++) if (index[d] >= 0) fBase[index[d]] += extraRhs[d];
    return fBase;
  }

  /**
   * max(D_committed, viscous(D_static(κ))) at point q: λ0 = σ_max/K, λf = 2 G_c/σ_max and the Gao–Bower update
   * viscous(D) = (D_committed + (Δt/η) D) / (1 + Δt/η) when η > 0; 0 on a non-damageable interface.
   */
  private historyDamage(q: number, kappa: number, im: KernelInterfaceMaterial, dt_s: number): number {
    if (!im.damageable) return 0;
    const K = im.penalty_MPa_per_um;
    const lambda0 = im.strength_MPa / K;
    const lambdaF = (2 * im.Gc_J_m2) / im.strength_MPa;
    const Dstatic = staticDamage(kappa, lambda0, lambdaF);
    const Dc = this.f.damage[q];
    let Dv = Dstatic;
    if (im.viscosity_s > 0) {
      const r = dt_s / im.viscosity_s;
      Dv = (Dc + r * Dstatic) / (1 + r);
    }
    return Math.max(Dc, Dv);
  }

  /**
   * Cohesive fatigue at point q (docs/physics.md §9): a point that starts the step below its envelope (λ_n < κ_n)
   * accumulates over the part of its path below the envelope, λ_e = min(λ, κ_n): the damage G of the history law is
   * raised to D_n + ΔD (`fatigueDamageIncrement` at λ_e, from the committed D_n and λ_n), at most 1. On the envelope
   * (λ_n = κ_n, every step of a monotonic loading) nothing is added.
   */
  private withFatigue(q: number, G: number, lambda: number, im: KernelInterfaceMaterial): number {
    const deltaSigma = im.fatigueLength_um ?? 0;
    if (deltaSigma <= 0) return G;
    const kappaN = this.f.kappa[q];
    const lambdaN = this.f.lambda[q];
    if (!(lambdaN < kappaN)) return G;
    const Dn = this.f.damage[q];
    const inc = fatigueDamageIncrement(
      Dn,
      Math.min(lambda, kappaN),
      lambdaN,
      im.penalty_MPa_per_um,
      im.strength_MPa,
      im.fatigueEndurance_MPa ?? 0,
      deltaSigma,
    );
    return inc > 0 ? Math.min(1.0, Math.max(G, Dn + inc)) : G;
  }

  /** IMPL-EX predictor: D̃ = max(D_n, viscous(D_static(κ_n + Δt κ̇_n))) as the trial damage. */
  private extrapolateDamage(dt_s: number): void {
    const s = this.f.setup;
    for (let e = 0; e < s.interfaceCount; e++) {
      const im = s.interfaceMaterials[s.interfaceMaterial[e]];
      for (let p = 0; p < 2; p++) {
        const q = 2 * e + p;
        this.f.trialDamage[q] = this.historyDamage(q, this.f.kappa[q] + dt_s * this.f.kappaRate[q], im, dt_s);
      }
    }
  }

  /** Contact state of every point from the current u (δn < 0). */
  private initialContact(): void {
    const s = this.f.setup;
    for (let e = 0; e < s.interfaceCount; e++)
      for (let p = 0; p < 2; p++)
        this.f.contact[2 * e + p] = pointOpening(this.f.frames, s, this.f.displacement, e, p)[0] < 0 ? 1 : 0;
  }

  /**
   * solver.values = K_bulk + Σ w k_secant(D_trial, contact) when a point stiffness changed since the last
   * factorisation (the result is the same as reassembling every time, bit for bit); rhs = fBase − cohesive
   * free–fixed coupling. Returns whether the matrix changed.
   */
  private assembleSecant(fBase: Float64Array): boolean {
    const s = this.f.setup;
    let stiffnessChanged = !this.factored;
    for (let e = 0; e < s.interfaceCount; e++) {
      const K = s.interfaceMaterials[s.interfaceMaterial[e]].penalty_MPa_per_um;
      for (let p = 0; p < 2; p++) {
        const q = 2 * e + p;
        const sf = stiffnessFactor(this.f.trialDamage[q]);
        const kn = this.f.contact[q] ? K : sf * K;
        const ks = sf * K;
        if (kn !== this.pointStiffness[2 * q] || ks !== this.pointStiffness[2 * q + 1]) {
          stiffnessChanged = true;
          this.pointStiffness[2 * q] = kn;
          this.pointStiffness[2 * q + 1] = ks;
        }
      }
    }
    if (stiffnessChanged) this.solver.values.set(this.bulkStiffnessValues);
    this.rhs.set(fBase);
    for (let e = 0; e < s.interfaceCount; e++) for (let p = 0; p < 2; p++) this.addCohesivePair(e, p, stiffnessChanged);
    return stiffnessChanged;
  }

  /**
   * Adds w (k_n n nᵀ + k_s t tᵀ) to the [a, b] block (+ on aa, bb; − on ab, ba) when `toMatrix`, and always the
   * fixed-dof load. k_n = K (contact) or s K, k_s = s K, from `pointStiffness`.
   */
  private addCohesivePair(e: number, p: number, toMatrix: boolean): void {
    const s = this.f.setup;
    const q = 2 * e + p;
    const f = this.f.frames;
    const o = FRAME_STRIDE * e;
    const tx = f[o + FRAME_TX],
      ty = f[o + FRAME_TY],
      nx = f[o + FRAME_NX],
      ny = f[o + FRAME_NY],
      w = f[o + FRAME_LENGTH] / 2;
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
    const v = this.solver.values;
    const posBase = 32 * e + 16 * p;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        const sign = i < 2 === j < 2 ? 1 : -1;
        const kij = sign * k2[2 * (i & 1) + (j & 1)];
        const pos = this.interfacePos[posBase + 4 * i + j];
        if (toMatrix && pos >= 0) v[pos] += kij;
        const ri = this.reducedIndex[gd[i]];
        if (ri >= 0 && this.reducedIndex[gd[j]] < 0) this.rhs[ri] -= kij * this.fixedValues[gd[j]];
      }
  }

  /**
   * Solve K u = b (refactorising when the matrix changed) and write u, fixed dofs included; generalized plane strain
   * adds ε_zz by the Schur complement of the file header (`axialLoad` = h, computed once per mechanics solve).
   */
  private linearSolve(matrixChanged: boolean, axialLoad: number): void {
    if (matrixChanged) {
      this.factored = false; // stays false if the factorisation throws
      this.solver.factor();
      this.factored = true;
    }
    this.solver.solve(this.rhs, this.solution);
    const index = this.reducedIndex;
    if (this.f.setup.plane === 'generalized-strain') {
      // Schur complement of the axial strain (file header)
      const bFree = this.axialCouplingFree;
      let fixedPart = 0;
      for (let d = 0; d < index.length; d++) if (index[d] < 0) fixedPart += this.axialCoupling[d] * this.fixedValues[d];
      this.solver.solve(bFree, this.axialSolution);
      let bu1 = 0,
        bu2 = 0;
      for (let r = 0; r < this.freeCount; r++) {
        bu1 += bFree[r] * this.solution[r];
        bu2 += bFree[r] * this.axialSolution[r];
      }
      const eps = -(bu1 + fixedPart + axialLoad) / (this.axialStiffness - bu2);
      for (let r = 0; r < this.freeCount; r++) this.solution[r] -= eps * this.axialSolution[r];
      this.axialStrain = eps;
    }
    const u = this.f.displacement;
    for (let d = 0; d < index.length; d++) u[d] = index[d] >= 0 ? this.solution[index[d]] : this.fixedValues[d];
  }

  /** h = Σ_e A (s33a ε_a + s33c ε_c): the axial force of the lattice strains at ε = 0, ε_zz = 0. */
  private axialLoad(): number {
    const s = this.f.setup;
    let h = 0;
    for (let t = 0; t < s.triCount; t++) {
      const [ea, ec] = latticeStrainOfTriangle(s, this.f.li, t);
      h += this.f.geometry.area[t] * (this.triStressZz[5 * t + 3] * ea + this.triStressZz[5 * t + 4] * ec);
    }
    return h;
  }

  /**
   * r = G(D_trial) − D_trial per point (κ = max(κ_committed, λ), λ = sqrt(max(δn, 0)² + δs²), G = historyDamage)
   * and the contact state from the current u; returns max |r| and whether a contact state changed.
   */
  private updateDamage(dt_s: number): { maxDamageChange: number; contactChanged: boolean } {
    const s = this.f.setup;
    let maxDamageChange = 0;
    let contactChanged = false;
    const r = this.damageResidual;
    for (let e = 0; e < s.interfaceCount; e++) {
      const im = s.interfaceMaterials[s.interfaceMaterial[e]];
      for (let p = 0; p < 2; p++) {
        const q = 2 * e + p;
        const [dn, ds] = pointOpening(this.f.frames, s, this.f.displacement, e, p);
        const lambda = hypot(Math.max(dn, 0), ds);
        let Dnew = im.damageable ? this.historyDamage(q, Math.max(this.f.kappa[q], lambda), im, dt_s) : 0;
        if (im.damageable) Dnew = this.withFatigue(q, Dnew, lambda, im);
        r[q] = Dnew - this.f.trialDamage[q];
        maxDamageChange = Math.max(maxDamageChange, Math.abs(r[q]));
        const c = dn < 0 ? 1 : 0;
        if (c !== this.f.contact[q]) contactChanged = true;
        this.f.contact[q] = c;
      }
    }
    return { maxDamageChange, contactChanged };
  }

  /**
   * Aitken-relaxed damage update (contract): ω_1 = 1, ω_k = aitkenRelaxation(ω_{k−1}, r_{k−1}, r_k),
   * D_trial ← min(1, max(D_committed, D_trial + ω_k r_k)).
   */
  private relaxDamage(k: number): void {
    const r = this.damageResidual;
    const rPrev = this.damageResidualPrev;
    this.relaxation = k === 1 ? 1 : aitkenRelaxation(this.relaxation, rPrev, r);
    for (let q = 0; q < r.length; q++) {
      this.f.trialDamage[q] = Math.min(1, Math.max(this.f.damage[q], this.f.trialDamage[q] + this.relaxation * r[q]));
      rPrev[q] = r[q];
    }
  }

  /** Openings, tractions (final trial damage) and trial history from the final u; then the stresses. */
  private postprocess(): { maxDamageIncrement: number; softeningPoints: number } {
    const s = this.f.setup;
    let maxDamageIncrement = 0;
    let softeningPoints = 0;
    for (let e = 0; e < s.interfaceCount; e++) {
      const K = s.interfaceMaterials[s.interfaceMaterial[e]].penalty_MPa_per_um;
      for (let p = 0; p < 2; p++) {
        const q = 2 * e + p;
        const [dn, ds] = pointOpening(this.f.frames, s, this.f.displacement, e, p);
        const lambda = hypot(Math.max(dn, 0), ds);
        this.f.trialKappa[q] = Math.max(this.f.kappa[q], lambda);
        // fatigue below the envelope: the trial history onto the envelope of the final trial damage
        this.f.trialLambda[q] = lambda;
        const im = s.interfaceMaterials[s.interfaceMaterial[e]];
        if (im.damageable && (im.fatigueLength_um ?? 0) > 0 && this.f.lambda[q] < this.f.kappa[q])
          this.f.trialKappa[q] = Math.max(
            this.f.trialKappa[q],
            kappaOfDamage(this.f.trialDamage[q], im.strength_MPa / K, (2 * im.Gc_J_m2) / im.strength_MPa),
          );
        const D = this.f.trialDamage[q];
        const [tn, ts] = cohesiveTraction(dn, ds, D, K);
        this.f.opening[2 * q] = dn;
        this.f.opening[2 * q + 1] = ds;
        this.f.traction[2 * q] = tn;
        this.f.traction[2 * q + 1] = ts;
        maxDamageIncrement = Math.max(maxDamageIncrement, D - this.f.damage[q]);
        if (D > 0 && D < 1) softeningPoints++;
      }
    }
    this.computeStress();
    return { maxDamageIncrement, softeningPoints };
  }

  /** σ = C ε − (ε_a G_a + ε_c G_c) per triangle, σ_zz = s33·ε + s33a ε_a + s33c ε_c (0 in plane stress). */
  private computeStress(): void {
    const s = this.f.setup;
    const out = this.f.stress;
    const u = this.f.displacement;
    const g = this.f.geometry.grad;
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
      const [ea, ec] = latticeStrainOfTriangle(s, this.f.li, t);
      const C = this.triC,
        G = this.triEig,
        Z = this.triStressZz;
      const o = 9 * t;
      const X = this.triAxial,
        ez = this.axialStrain;
      out[4 * t] = C[o] * exx + C[o + 1] * eyy + C[o + 2] * gxy - (G[6 * t] * ea + G[6 * t + 3] * ec) + X[4 * t] * ez;
      out[4 * t + 1] =
        C[o + 3] * exx + C[o + 4] * eyy + C[o + 5] * gxy - (G[6 * t + 1] * ea + G[6 * t + 4] * ec) + X[4 * t + 1] * ez;
      out[4 * t + 2] =
        C[o + 6] * exx + C[o + 7] * eyy + C[o + 8] * gxy - (G[6 * t + 2] * ea + G[6 * t + 5] * ec) + X[4 * t + 2] * ez;
      out[4 * t + 3] =
        Z[5 * t] * exx +
        Z[5 * t + 1] * eyy +
        Z[5 * t + 2] * gxy +
        Z[5 * t + 3] * ea +
        Z[5 * t + 4] * ec +
        X[4 * t + 3] * ez;
    }
  }

  /** Drop the factor: the next solve factorises afresh. */
  resetMechanicsCaches(): void {
    this.factored = false;
  }

  /** The damage solve of kernel-api.ts (see the file header). */
  mechanicsSolve(opts: MechanicsOptions): MechanicsReport {
    const s = this.f.setup;
    const ni = s.interfaceCount;
    this.fixedValues.fill(0);
    for (let k = 0; k < s.fixedDofs.length; k++)
      this.fixedValues[s.fixedDofs[k]] = opts.prescribed ? opts.prescribed[k] : 0;
    const implex = opts.scheme === 'implex';
    this.f.trialDamage.set(this.f.damage);
    if (implex) this.extrapolateDamage(opts.dt_s);
    this.initialContact();
    const fBase = this.assembleLoad(opts.extraRhs);
    // x does not change during the solve: the lattice strains' axial force is computed once
    const axialLoad = s.plane === 'generalized-strain' ? this.axialLoad() : 0;

    let iterations = 0;
    let maxDamageChange = 0;
    let converged = false;
    const maxIt = implex ? 1 : Math.max(1, opts.maxIterations);
    let extrapolationError = 0;
    let meanExtrapolationError = 0;
    for (let it = 1; it <= maxIt; it++) {
      iterations = it;
      this.linearSolve(this.assembleSecant(fBase), axialLoad);
      const update = this.updateDamage(opts.dt_s);
      maxDamageChange = update.maxDamageChange;
      const r = this.damageResidual;
      if (implex) {
        // D_trial ← D_implicit(u) = D̃ + r (no relaxation); the step is complete by construction.
        for (let q = 0; q < 2 * ni; q++) this.f.trialDamage[q] = this.f.trialDamage[q] + r[q];
        extrapolationError = maxDamageChange;
        let sumW = 0;
        let sumWR = 0;
        for (let e = 0; e < ni; e++) {
          if (!s.interfaceMaterials[s.interfaceMaterial[e]].damageable) continue;
          const w = this.f.frames[FRAME_STRIDE * e + FRAME_LENGTH] / 2;
          for (let p = 0; p < 2; p++) {
            sumW += w;
            sumWR += w * Math.abs(r[2 * e + p]);
          }
        }
        meanExtrapolationError = extrapolationError > 0 && sumW > 0 ? sumWR / sumW : 0;
        converged = true;
        break;
      }
      this.relaxDamage(it);
      if (maxDamageChange <= opts.tolerance && !update.contactChanged) {
        converged = true;
        break;
      }
    }

    const { maxDamageIncrement, softeningPoints } = this.postprocess();
    // History rate this solve would commit: IMPL-EX steps only (an implicit solve leaves κ̇ = 0).
    for (let q = 0; q < 2 * ni; q++)
      this.f.trialKappaRate[q] = implex && opts.dt_s > 0 ? (this.f.trialKappa[q] - this.f.kappa[q]) / opts.dt_s : 0;
    return {
      converged,
      iterations,
      linearIterations: 0,
      maxDamageChange,
      maxDamageIncrement,
      softeningPoints,
      linearSolves: iterations,
      axialStrain: this.axialStrain,
      extrapolationError,
      meanExtrapolationError,
    };
  }

  bytes(): number {
    const arrays = [
      this.reducedIndex,
      this.triPos,
      this.interfacePos,
      this.bulkStiffnessValues,
      this.triC,
      this.triEig,
      this.triStressZz,
      this.rhs,
      this.solution,
      this.fixedValues,
      this.pointStiffness,
      this.damageResidual,
      this.damageResidualPrev,
    ];
    return arrays.reduce((n, a) => n + a.byteLength, 0) + this.solver.bytes();
  }
}
