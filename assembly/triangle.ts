/**
 * Linear (P1) triangle geometry. For nodes (x_i, y_i), i = 0, 1, 2 counter-clockwise:
 *   2A = (x1 − x0)(y2 − y0) − (x2 − x0)(y1 − y0),
 *   ∂N_i/∂x = (y_j − y_k) / 2A,  ∂N_i/∂y = (x_k − x_j) / 2A,  (i, j, k) cyclic.
 * Results go to module scratch (`gx0..2`, `gy0..2`, `n0..2`) to avoid allocation.
 */
import * as S from './state';

export let n0: i32 = 0;
export let n1: i32 = 0;
export let n2: i32 = 0;
export let gx0: f64 = 0;
export let gx1: f64 = 0;
export let gx2: f64 = 0;
export let gy0: f64 = 0;
export let gy1: f64 = 0;
export let gy2: f64 = 0;

/** Nodes and shape-function gradients of triangle t into the scratch; returns the signed area A (µm²). */
export function triangleGeometry(t: i32): f64 {
  const tn = S.triNodes + <usize>(3 * t) * 4;
  n0 = load<i32>(tn);
  n1 = load<i32>(tn, 4);
  n2 = load<i32>(tn, 8);
  const p0 = S.coords + ((<usize>n0) << 4);
  const p1 = S.coords + ((<usize>n1) << 4);
  const p2 = S.coords + ((<usize>n2) << 4);
  const x0 = load<f64>(p0);
  const y0 = load<f64>(p0, 8);
  const x1 = load<f64>(p1);
  const y1 = load<f64>(p1, 8);
  const x2 = load<f64>(p2);
  const y2 = load<f64>(p2, 8);
  const twoA = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  const inv = 1.0 / twoA;
  gx0 = (y1 - y2) * inv;
  gx1 = (y2 - y0) * inv;
  gx2 = (y0 - y1) * inv;
  gy0 = (x2 - x1) * inv;
  gy1 = (x0 - x2) * inv;
  gy2 = (x1 - x0) * inv;
  return 0.5 * twoA;
}

/** Length of the segment between nodes a and b (µm). */
export function segmentLength(a: i32, b: i32): f64 {
  const pa = S.coords + ((<usize>a) << 4);
  const pb = S.coords + ((<usize>b) << 4);
  const dx = load<f64>(pb) - load<f64>(pa);
  const dy = load<f64>(pb, 8) - load<f64>(pa, 8);
  return Math.sqrt(dx * dx + dy * dy);
}
