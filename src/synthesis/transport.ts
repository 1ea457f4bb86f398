/**
 * Li transport of the synthesis model (docs/synthesis.md §2), host-side in TypeScript: one unknown c per mesh node
 * (every grain owns its node copies, as the cohesive mesh gives them), P1 triangles, consistent mass, backward
 * Euler:
 *
 *   (M + Δt (K_bulk + K_⊥ + K_GB + H)) c¹ = M c⁰ + Δt H c_s
 *
 *  - K_bulk = Σ_T D_bulk(T) ∫ ∇N_i·∇N_j dA (isotropic in the precursor grains);
 *  - K_⊥: every interface element joins its node copies (a0–b0, a1–b1) by κ L/2 each, κ = f_⊥ D_bulk / h — an
 *    intact contact that Li crosses like bulk (f_⊥ = transverse_conductance_factor);
 *  - K_GB: an OPEN boundary is a 1D channel along the interface: conductance o D_GB δ_GB / L between its end
 *    nodes, half on side a (a0–a1) and half on side b (b0–b1); o ∈ [0, 1] is the boundary's opening;
 *  - H: the molten Li source on the outer surface, inward flux h (c_s − c), lumped (h L/2 per segment end).
 * The channel's own capacity (δ_GB × L) is neglected next to the grains'. Every K has zero row sums, so
 * 1ᵀM(c¹ − c⁰) = Δt 1ᵀH(c_s − c¹): the Li supplied equals the change of Li in solution to solver round-off.
 * The matrix changes with T and o, so it is refactorised every step (sparse Cholesky of the TS oracle, reused
 * read-only: src/engine/ts-kernel/sparse-cholesky.ts).
 */
import { SparseCholesky, adjacencyFromCliques } from '../engine/ts-kernel/sparse-cholesky.js';
import type { PolycrystalMesh } from '../mesh/types.js';
import { hypot } from '../math/portable.js';

export interface TransportCoefficients {
  D_bulk_um2_s: number;
  D_GB_delta_um3_s: number;
  h_surface_um_s: number;
  /** κ = factor · D_bulk / h (µm/s). */
  transverse_um_s: number;
  c_source: number;
}

export class SynthesisTransport {
  readonly n: number;
  readonly chol: SparseCholesky;
  /** Lumped nodal area (µm²): the row sums of the consistent mass. */
  readonly nodeMass_um2: Float64Array;
  /** Surface weight per node (µm): Σ L/2 of its surface segments. */
  readonly surfaceWeight_um: Float64Array;
  readonly interfaceLength_um: Float64Array;
  private readonly triArea: Float64Array;
  /** Per triangle: the 6 upper-triangle ∫∇N_i·∇N_j dA (11, 12, 13, 22, 23, 33). */
  private readonly triGrad: Float64Array;
  /** Per triangle: positions in chol.values of (11, 12, 13, 22, 23, 33). */
  private readonly triPos: Int32Array;
  /** Per interface: positions of a0a0, b0b0, a0b0, a1a1, b1b1, a1b1, a0a1, b0b1. */
  private readonly ifPos: Int32Array;
  private readonly rhs: Float64Array;
  private readonly mesh: PolycrystalMesh;

  constructor(mesh: PolycrystalMesh) {
    this.mesh = mesh;
    const n = (this.n = mesh.nodeCount);
    const xy = mesh.coords_um;
    const tn = mesh.triNodes;
    const cliques: ArrayLike<number>[] = [];
    for (let t = 0; t < mesh.triCount; t++) cliques.push(tn.subarray(3 * t, 3 * t + 3));
    for (let i = 0; i < mesh.interfaceCount; i++) cliques.push(mesh.interfaceNodes.subarray(4 * i, 4 * i + 4));
    const { adjPtr, adjIdx } = adjacencyFromCliques(n, cliques);
    this.chol = new SparseCholesky(n, adjPtr, adjIdx, xy);
    const pos = (i: number, j: number) => {
      const p = this.chol.position(i, j);
      if (p < 0) throw new Error(`synthesis transport: entry (${i}, ${j}) not in the pattern`);
      return p;
    };

    this.triArea = new Float64Array(mesh.triCount);
    this.triGrad = new Float64Array(6 * mesh.triCount);
    this.triPos = new Int32Array(6 * mesh.triCount);
    this.nodeMass_um2 = new Float64Array(n);
    for (let t = 0; t < mesh.triCount; t++) {
      const a = tn[3 * t],
        b = tn[3 * t + 1],
        c = tn[3 * t + 2];
      const x = [xy[2 * a], xy[2 * b], xy[2 * c]];
      const y = [xy[2 * a + 1], xy[2 * b + 1], xy[2 * c + 1]];
      const area = 0.5 * ((x[1] - x[0]) * (y[2] - y[0]) - (x[2] - x[0]) * (y[1] - y[0]));
      this.triArea[t] = area;
      // ∇N_i = (y_j − y_k, x_k − x_j) / 2A
      const bx = [y[1] - y[2], y[2] - y[0], y[0] - y[1]];
      const by = [x[2] - x[1], x[0] - x[2], x[1] - x[0]];
      const pairs = [
        [0, 0],
        [0, 1],
        [0, 2],
        [1, 1],
        [1, 2],
        [2, 2],
      ];
      const nodes = [a, b, c];
      pairs.forEach(([i, j], k) => {
        this.triGrad[6 * t + k] = (bx[i] * bx[j] + by[i] * by[j]) / (4 * area);
        this.triPos[6 * t + k] = pos(nodes[i], nodes[j]);
      });
      for (const v of nodes) this.nodeMass_um2[v] += area / 3;
    }
    this.interfaceLength_um = new Float64Array(mesh.interfaceCount);
    this.ifPos = new Int32Array(8 * mesh.interfaceCount);
    for (let i = 0; i < mesh.interfaceCount; i++) {
      const [a0, a1, b0, b1] = mesh.interfaceNodes.subarray(4 * i, 4 * i + 4);
      this.interfaceLength_um[i] = hypot(xy[2 * a1] - xy[2 * a0], xy[2 * a1 + 1] - xy[2 * a0 + 1]);
      this.ifPos.set(
        [pos(a0, a0), pos(b0, b0), pos(a0, b0), pos(a1, a1), pos(b1, b1), pos(a1, b1), pos(a0, a1), pos(b0, b1)],
        8 * i,
      );
    }
    this.surfaceWeight_um = new Float64Array(n);
    for (let s = 0; s < mesh.surfaceCount; s++) {
      const p = mesh.surfaceNodes[2 * s],
        q = mesh.surfaceNodes[2 * s + 1];
      const L = hypot(xy[2 * q] - xy[2 * p], xy[2 * q + 1] - xy[2 * p + 1]);
      this.surfaceWeight_um[p] += L / 2;
      this.surfaceWeight_um[q] += L / 2;
    }
    this.rhs = new Float64Array(n);
  }

  /** Σ_nodes m_n v_n = 1ᵀ M v (µm² × unit of v). */
  integral(v: Float64Array): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.nodeMass_um2[i] * v[i];
    return s;
  }

  /**
   * One backward-Euler step in place: c ← c¹. `opening[i]` is boundary i's o ∈ [0, 1]. Returns the Li supplied
   * through the surface in the step, Δt Σ h w (c_s − c¹) (µm² × unit of c).
   */
  step(c: Float64Array, opening: Float64Array, k: TransportCoefficients, dt: number): number {
    const mesh = this.mesh;
    const v = this.chol.values;
    v.fill(0);
    const rhs = this.rhs;
    rhs.fill(0);
    const tn = mesh.triNodes;
    for (let t = 0; t < mesh.triCount; t++) {
      const m = this.triArea[t] / 12;
      const p = 6 * t;
      const g = this.triGrad;
      const P = this.triPos;
      const dk = dt * k.D_bulk_um2_s;
      v[P[p]] += 2 * m + dk * g[p];
      v[P[p + 1]] += m + dk * g[p + 1];
      v[P[p + 2]] += m + dk * g[p + 2];
      v[P[p + 3]] += 2 * m + dk * g[p + 3];
      v[P[p + 4]] += m + dk * g[p + 4];
      v[P[p + 5]] += 2 * m + dk * g[p + 5];
      const a = tn[3 * t],
        b = tn[3 * t + 1],
        cc = tn[3 * t + 2];
      const ca = c[a],
        cb = c[b],
        cc_ = c[cc];
      rhs[a] += m * (2 * ca + cb + cc_);
      rhs[b] += m * (ca + 2 * cb + cc_);
      rhs[cc] += m * (ca + cb + 2 * cc_);
    }
    for (let i = 0; i < mesh.interfaceCount; i++) {
      const L = this.interfaceLength_um[i];
      const P = this.ifPos;
      const q = 8 * i;
      const gPerp = dt * k.transverse_um_s * (L / 2);
      const gAlong = L > 0 ? (dt * opening[i] * k.D_GB_delta_um3_s) / L / 2 : 0;
      // a0–b0 and a1–b1: across the boundary.
      v[P[q]] += gPerp;
      v[P[q + 1]] += gPerp;
      v[P[q + 2]] -= gPerp;
      v[P[q + 3]] += gPerp;
      v[P[q + 4]] += gPerp;
      v[P[q + 5]] -= gPerp;
      // a0–a1 and b0–b1: along the open channel.
      v[P[q]] += gAlong;
      v[P[q + 3]] += gAlong;
      v[P[q + 6]] -= gAlong;
      v[P[q + 1]] += gAlong;
      v[P[q + 4]] += gAlong;
      v[P[q + 7]] -= gAlong;
    }
    const hs = dt * k.h_surface_um_s;
    for (let i = 0; i < this.n; i++) {
      const w = this.surfaceWeight_um[i];
      if (w > 0) {
        v[this.chol.position(i, i)] += hs * w;
        rhs[i] += hs * w * k.c_source;
      }
    }
    this.chol.factor();
    this.chol.solve(rhs, c);
    let supplied = 0;
    for (let i = 0; i < this.n; i++) {
      const w = this.surfaceWeight_um[i];
      if (w > 0) supplied += hs * w * (k.c_source - c[i]);
    }
    return supplied;
  }
}
