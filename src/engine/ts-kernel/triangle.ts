/**
 * Linear (P1) triangle geometry (mirrors assembly/triangle.ts). For nodes (x_i, y_i), i = 0, 1, 2 counter-clockwise:
 *   2A = (x1 − x0)(y2 − y0) − (x2 − x0)(y1 − y0),
 *   ∂N_i/∂x = (y_j − y_k) / 2A,  ∂N_i/∂y = (x_k − x_j) / 2A,  (i, j, k) cyclic.
 * The oracle computes every triangle once at setup.
 */
import type { KernelSetup } from '../kernel-api.js';
import { hypot } from '../../math/portable.js';

/** Area and shape-function gradients of every triangle. */
export interface TriangleGeometry {
  area: Float64Array;
  /** 6 per triangle: [∂N0/∂x, ∂N1/∂x, ∂N2/∂x, ∂N0/∂y, ∂N1/∂y, ∂N2/∂y]. */
  grad: Float64Array;
}

/** Gradients of triangle t into `out` (6 values at `offset`, layout of `TriangleGeometry.grad`); returns A (µm²). */
export function triangleGeometry(out: Float64Array, offset: number, s: KernelSetup, t: number): number {
  const X = s.coords_um;
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
  out[offset] = (y1 - y2) / twoA;
  out[offset + 1] = (y2 - y0) / twoA;
  out[offset + 2] = (y0 - y1) / twoA;
  out[offset + 3] = (x2 - x1) / twoA;
  out[offset + 4] = (x0 - x2) / twoA;
  out[offset + 5] = (x1 - x0) / twoA;
  return twoA / 2;
}

/** `triangleGeometry` of every triangle (setup). */
export function allTriangleGeometry(s: KernelSetup): TriangleGeometry {
  const area = new Float64Array(s.triCount);
  const grad = new Float64Array(6 * s.triCount);
  for (let t = 0; t < s.triCount; t++) area[t] = triangleGeometry(grad, 6 * t, s, t);
  return { area, grad };
}

/** Length of the segment between nodes a and b (µm). */
export function segmentLength(s: KernelSetup, a: number, b: number): number {
  return hypot(s.coords_um[2 * b] - s.coords_um[2 * a], s.coords_um[2 * b + 1] - s.coords_um[2 * a + 1]);
}
