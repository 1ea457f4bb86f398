/**
 * Test-side finite-element utilities, independent of the kernels: triangle and segment quadrature, load vectors of
 * manufactured sources, L2 errors, and a tensor-form reference of the hexagonal constitutive law (docs/physics.md §3).
 */
import type { KernelMaterial } from '../../src/engine/kernel-api.js';

/** Dunavant degree-5 rule: barycentric points (λ1, λ2, λ3) and weights (sum 1, multiply by the area). */
const A1 = 0.05971587178977,
  B1 = 0.470142064105115,
  A2 = 0.797426985353087,
  B2 = 0.101286507323456;
const W0 = 0.225,
  W1 = 0.132394152788506,
  W2 = 0.125939180544827;
export const TRIANGLE_RULE: [number, number, number, number][] = [
  [1 / 3, 1 / 3, 1 / 3, W0],
  [A1, B1, B1, W1],
  [B1, A1, B1, W1],
  [B1, B1, A1, W1],
  [A2, B2, B2, W2],
  [B2, A2, B2, W2],
  [B2, B2, A2, W2],
];

/** 4-point Gauss–Legendre on [0, 1]: (s, w). */
const G4a = 0.3399810435848563,
  G4b = 0.8611363115940526,
  G4wa = 0.6521451548625461,
  G4wb = 0.3478548451374538;
export const SEGMENT_RULE: [number, number][] = [
  [0.5 - G4b / 2, G4wb / 2],
  [0.5 - G4a / 2, G4wa / 2],
  [0.5 + G4a / 2, G4wa / 2],
  [0.5 + G4b / 2, G4wb / 2],
];

export interface TriMesh {
  nodeCount: number;
  coords_um: Float64Array;
  triCount: number;
  triNodes: Uint32Array;
}

function triangle(m: TriMesh, t: number) {
  const n = [m.triNodes[3 * t], m.triNodes[3 * t + 1], m.triNodes[3 * t + 2]];
  const X = n.map((k) => m.coords_um[2 * k]);
  const Y = n.map((k) => m.coords_um[2 * k + 1]);
  const area = 0.5 * ((X[1] - X[0]) * (Y[2] - Y[0]) - (X[2] - X[0]) * (Y[1] - Y[0]));
  return { n, X, Y, area };
}

/**
 * Load vector F[dof(node, c)] += ∫ f_c N_node dA over all triangles (f returns the components at a point).
 * `dofOf` maps (node, component) to the vector index (−1: skip).
 */
export function areaLoad(
  m: TriMesh,
  size: number,
  f: (x: number, y: number) => number[],
  dofOf: (node: number, c: number) => number,
): Float64Array {
  const F = new Float64Array(size);
  for (let t = 0; t < m.triCount; t++) {
    const { n, X, Y, area } = triangle(m, t);
    for (const [l0, l1, l2, w] of TRIANGLE_RULE) {
      const x = l0 * X[0] + l1 * X[1] + l2 * X[2],
        y = l0 * Y[0] + l1 * Y[1] + l2 * Y[2];
      const v = f(x, y);
      const N = [l0, l1, l2];
      for (let i = 0; i < 3; i++)
        for (let c = 0; c < v.length; c++) {
          const d = dofOf(n[i], c);
          if (d >= 0) F[d] += w * area * v[c] * N[i];
        }
    }
  }
  return F;
}

/**
 * Boundary load F[dof(node)] += ∫ g(x, y, nx, ny) N_node ds over segments (p → q, solid to the left, outward
 * normal (dy, −dx)/L).
 */
export function segmentLoad(
  coords: Float64Array,
  segNodes: ArrayLike<number>,
  F: Float64Array,
  g: (x: number, y: number, nx: number, ny: number) => number,
  dofOf: (node: number) => number,
): void {
  for (let s = 0; s < segNodes.length / 2; s++) {
    const p = segNodes[2 * s],
      q = segNodes[2 * s + 1];
    const x0 = coords[2 * p],
      y0 = coords[2 * p + 1],
      x1 = coords[2 * q],
      y1 = coords[2 * q + 1];
    const L = Math.hypot(x1 - x0, y1 - y0);
    const nx = (y1 - y0) / L,
      ny = -(x1 - x0) / L;
    for (const [sPt, w] of SEGMENT_RULE) {
      const v = g(x0 + sPt * (x1 - x0), y0 + sPt * (y1 - y0), nx, ny);
      F[dofOf(p)] += w * L * v * (1 - sPt);
      F[dofOf(q)] += w * L * v * sPt;
    }
  }
}

/** L2 norm of (u_h − u_exact) with P1 interpolation of nodal values (components c = 0 … k−1). */
export function l2Error(
  m: TriMesh,
  nodal: (node: number, c: number) => number,
  exact: (x: number, y: number) => number[],
): number {
  let sum = 0;
  for (let t = 0; t < m.triCount; t++) {
    const { n, X, Y, area } = triangle(m, t);
    for (const [l0, l1, l2, w] of TRIANGLE_RULE) {
      const x = l0 * X[0] + l1 * X[1] + l2 * X[2],
        y = l0 * Y[0] + l1 * Y[1] + l2 * Y[2];
      const e = exact(x, y);
      for (let c = 0; c < e.length; c++) {
        const uh = l0 * nodal(n[0], c) + l1 * nodal(n[1], c) + l2 * nodal(n[2], c);
        sum += w * area * (uh - e[c]) ** 2;
      }
    }
  }
  return Math.sqrt(sum);
}

/** Observed convergence rates log(e_k / e_{k+1}) / log(h_k / h_{k+1}). */
export function rates(h: number[], e: number[]): number[] {
  const r: number[] = [];
  for (let k = 0; k + 1 < e.length; k++) r.push(Math.log(e[k] / e[k + 1]) / Math.log(h[k] / h[k + 1]));
  return r;
}

/** Symmetric 2D strain/stress tensor components. */
export interface Sym2 {
  xx: number;
  yy: number;
  xy: number;
}

/**
 * Reference stress of the 2D-reduced hexagonal crystal, written in tensor form directly from docs/physics.md §3
 * (independent of the kernels' Voigt matrices): local strains ε_aa = e_aᵀ ε e_a, ε_cc = e_cᵀ ε e_c,
 * γ_ac = 2 e_aᵀ ε e_c with e_c = (cos θ, sin θ), e_a = (−sin θ, cos θ);
 * plane strain: σ_aa = C11 (ε_aa − ε_a) + C13 (ε_cc − ε_c) − C12 ε_a, σ_cc = C13 (ε_aa − ε_a) + C33 (ε_cc − ε_c)
 *   − C13 ε_a, σ_ac = C44 γ_ac, σ33 = C12 (ε_aa − ε_a) + C13 (ε_cc − ε_c) − C11 ε_a;
 * plane stress: the elastic ε33 solves σ33 = 0; σ = σ_aa e_a e_aᵀ + σ_cc e_c e_cᵀ + σ_ac (e_a e_cᵀ + e_c e_aᵀ).
 * `eps.xy` is the tensor shear (γ/2).
 */
export function referenceStress(
  m: KernelMaterial,
  theta: number,
  plane: 'strain' | 'stress',
  eps: Sym2,
  eA: number,
  eC: number,
): Sym2 & { zz: number } {
  const c = Math.cos(theta),
    s = Math.sin(theta);
  const a = [-s, c],
    cc = [c, s];
  const quad = (u: number[], v: number[]) =>
    u[0] * (eps.xx * v[0] + eps.xy * v[1]) + u[1] * (eps.xy * v[0] + eps.yy * v[1]);
  const eaa = quad(a, a) - eA,
    ecc = quad(cc, cc) - eC,
    gac = 2 * quad(a, cc);
  const { C11_MPa: C11, C12_MPa: C12, C13_MPa: C13, C33_MPa: C33, C44_MPa: C44 } = m;
  const e33 = plane === 'strain' ? -eA : -(C12 * eaa + C13 * ecc) / C11;
  const saa = C11 * eaa + C13 * ecc + C12 * e33;
  const scc = C13 * eaa + C33 * ecc + C13 * e33;
  const sac = C44 * gac;
  const s33 = plane === 'strain' ? C12 * eaa + C13 * ecc + C11 * e33 : 0;
  return {
    xx: saa * a[0] * a[0] + scc * cc[0] * cc[0] + 2 * sac * a[0] * cc[0],
    yy: saa * a[1] * a[1] + scc * cc[1] * cc[1] + 2 * sac * a[1] * cc[1],
    xy: saa * a[0] * a[1] + scc * cc[0] * cc[1] + sac * (a[0] * cc[1] + a[1] * cc[0]),
    zz: s33,
  };
}

/** Deterministic PRNG (mulberry32) for reproducible random orientations. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
