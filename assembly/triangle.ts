/**
 * Linear (P1) triangle geometry. For nodes (x_i, y_i), i = 0, 1, 2 counter-clockwise:
 *   2A = (x1 − x0)(y2 − y0) − (x2 − x0)(y1 − y0),
 *   ∂N_i/∂x = (y_j − y_k) / 2A,  ∂N_i/∂y = (x_k − x_j) / 2A,  (i, j, k) cyclic.
 * Results go to a caller-owned geometry block (`op(out, …)`, no allocation):
 *   f64 ∂N_0..2/∂x at slots 0..2, f64 ∂N_0..2/∂y at slots 3..5, i32 node ids at bytes 48, 52, 56.
 */
import * as S from './state';

/** Bytes of a geometry block (16-byte aligned when allocated with `memory.data(TRIANGLE_BLOCK_BYTES, 16)`). */
export const TRIANGLE_BLOCK_BYTES: i32 = 64;
const NODE_BYTE_OFFSET: usize = 48;

/** ∂N_i/∂x of the triangle in block g. */
export function gradX(g: usize, i: i32): f64 {
  return load<f64>(g + ((<usize>i) << 3));
}
/** ∂N_i/∂y of the triangle in block g. */
export function gradY(g: usize, i: i32): f64 {
  return load<f64>(g + ((<usize>(i + 3)) << 3));
}
/** Node id i (0..2, counter-clockwise) of the triangle in block g. */
export function triangleNode(g: usize, i: i32): i32 {
  return load<i32>(g + NODE_BYTE_OFFSET + ((<usize>i) << 2));
}

/** Nodes and shape-function gradients of triangle t into block `out`; returns the signed area A (µm²). */
export function triangleGeometry(out: usize, t: i32): f64 {
  const tn = S.triNodes + <usize>(3 * t) * 4;
  const n0 = load<i32>(tn);
  const n1 = load<i32>(tn, 4);
  const n2 = load<i32>(tn, 8);
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
  store<f64>(out, (y1 - y2) * inv);
  store<f64>(out, (y2 - y0) * inv, 8);
  store<f64>(out, (y0 - y1) * inv, 16);
  store<f64>(out, (x2 - x1) * inv, 24);
  store<f64>(out, (x0 - x2) * inv, 32);
  store<f64>(out, (x1 - x0) * inv, 40);
  store<i32>(out + NODE_BYTE_OFFSET, n0);
  store<i32>(out + NODE_BYTE_OFFSET, n1, 4);
  store<i32>(out + NODE_BYTE_OFFSET, n2, 8);
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
