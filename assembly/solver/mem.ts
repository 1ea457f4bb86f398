/** Raw typed access to linear memory for the solver's hot loops (no bounds checks, no allocation). */

export function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + ((<usize>i) << 2));
}
export function sti(p: usize, i: i32, v: i32): void {
  store<i32>(p + ((<usize>i) << 2), v);
}
export function ldf(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
export function stf(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}

/** Allocate n i32 (at least one), uninitialised. */
export function allocI32(n: i32): usize {
  return heap.alloc((<usize>max(n, 1)) << 2);
}
/** Allocate n f64 (at least one), uninitialised, 16-byte aligned (the stub runtime aligns every block to 16). */
export function allocF64(n: i64): usize {
  return heap.alloc((<usize>max<i64>(n, 1)) << 3);
}
/** Fill n i32 with v. */
export function fillI32(p: usize, n: i32, v: i32): void {
  for (let i = 0; i < n; i++) store<i32>(p + ((<usize>i) << 2), v);
}
