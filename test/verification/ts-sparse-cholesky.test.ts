/**
 * The TS oracle's sparse Cholesky (nested dissection + up-looking factorisation) against a dense solve on random
 * SPD matrices with mesh-like patterns, its residual on a larger system, and the not-positive-definite error.
 */
import { describe, expect, it } from 'vitest';
import { SparseCholesky, adjacencyFromCliques } from '../../src/engine/ts-kernel/sparse-cholesky.js';
import { diskMesh, rectangleMesh } from '../../src/mesh/structured.js';
import { mulberry32 } from '../support/fem.js';

/** SPD matrix on a mesh's node graph: A = Σ_triangles G_tᵀ G_t with random dense 3×3 G_t, plus a random diagonal. */
function randomSystem(
  mesh: { nodeCount: number; triCount: number; triNodes: Uint32Array; coords_um: Float64Array },
  seed: number,
) {
  const rand = mulberry32(seed);
  const n = mesh.nodeCount;
  const cliques = Array.from({ length: mesh.triCount }, (_, t) => Array.from(mesh.triNodes.subarray(3 * t, 3 * t + 3)));
  const { adjPtr, adjIdx } = adjacencyFromCliques(n, cliques);
  const chol = new SparseCholesky(n, adjPtr, adjIdx, mesh.coords_um);
  const dense = n <= 400 ? new Float64Array(n * n) : undefined;
  const add = (i: number, j: number, v: number) => {
    if (chol.pinv[i] <= chol.pinv[j]) chol.values[chol.position(i, j)] += v;
    if (dense) dense[i * n + j] += v;
  };
  for (const c of cliques) {
    const G = Array.from({ length: 9 }, () => rand() - 0.5);
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        let v = 0;
        for (let k = 0; k < 3; k++) v += G[3 * k + a] * G[3 * k + b];
        add(c[a], c[b], v);
      }
  }
  for (let i = 0; i < n; i++) add(i, i, 1e-3 + rand());
  return { chol, dense, n };
}

function denseSolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) {
      const f = M[i * n + k] / M[k * n + k];
      if (f === 0) continue;
      for (let j = k; j < n; j++) M[i * n + j] -= f * M[k * n + j];
      x[i] -= f * x[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = x[k];
    for (let j = k + 1; j < n; j++) s -= M[k * n + j] * x[j];
    x[k] = s / M[k * n + k];
  }
  return x;
}

describe('TS sparse Cholesky', () => {
  it('matches a dense solve on random SPD matrices', () => {
    for (const seed of [1, 2, 3]) {
      const mesh = rectangleMesh({
        width_um: 1,
        height_um: 1,
        nx: 11,
        ny: 9,
        pattern: seed === 2 ? 'crossed' : 'alternating',
      });
      const { chol, dense, n } = randomSystem(mesh, seed);
      chol.factor();
      const b = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * i + seed));
      const x = new Float64Array(n);
      chol.solve(b, x);
      const xd = denseSolve(dense as Float64Array, b, n);
      const scale = Math.max(...xd.map(Math.abs));
      expect(x).toBeCloseArray(xd, { abs: 1e-10 * scale });
      expect(chol.relativeResidual(b, x)).toBeLessThan(1e-13);
    }
  });

  it('solves a larger mesh system to round-off with O(n log n)-like fill', () => {
    const mesh = diskMesh({ radius_um: 1, shape: 'full', rings: 40 });
    const { chol, n } = randomSystem(mesh, 7);
    chol.factor();
    const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const x = new Float64Array(n);
    chol.solve(b, x);
    expect(chol.relativeResidual(b, x)).toBeLessThan(1e-13);
    expect(chol.factorNonzeros / n).toBeLessThan(40); // ≈ 4861 unknowns
  });

  it('reports a matrix that is not positive definite', () => {
    const mesh = rectangleMesh({ width_um: 1, height_um: 1, nx: 3, ny: 3 });
    const { chol } = randomSystem(mesh, 4);
    chol.values[chol.position(5, 5)] = -10;
    expect(() => chol.factor()).toThrow(/not positive definite/);
  });
});
