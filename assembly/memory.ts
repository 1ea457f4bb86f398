/**
 * The kernel's arena. Everything a scenario needs is allocated once in `setup` with `heap.alloc` (stub runtime:
 * a bump allocator) and never freed individually; a new `setup` resets the whole arena. No allocation happens in
 * a time step, so the host's Float64Array views on `memory.buffer` stay valid between setups.
 */

/** First address handed out after the last reset (measured, includes the allocator's block header). */
let arenaStart: usize = 0;

/** Forget every allocation (all pointers held from before become invalid). */
export function arenaReset(): void {
  __reset();
  arenaStart = heap.alloc(8);
}

/** Bytes allocated since the last reset (arena high-water mark). */
export function arenaBytes(): usize {
  const top = heap.alloc(8); // 8-byte probe (bump allocator: the probe marks the current top)
  heap.free(top); // last block: discarded again
  return top - arenaStart;
}

/** A zero-filled block of `count` f64 (16-byte aligned). */
export function allocF64(count: i32): usize {
  const bytes = (<usize>max(count, 1)) << 3;
  const p = heap.alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

/** A zero-filled block of `count` i32. */
export function allocI32(count: i32): usize {
  const bytes = (<usize>max(count, 1)) << 2;
  const p = heap.alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

/** Free the most recent block (bump allocator: only the last one can go back). */
export function freeLast(p: usize): void {
  heap.free(p);
}

export function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}
export function setF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + ((<usize>i) << 3), v);
}
export function addF64(base: usize, i: i32, v: f64): void {
  const p = base + ((<usize>i) << 3);
  store<f64>(p, load<f64>(p) + v);
}
export function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}
export function setI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + ((<usize>i) << 2), v);
}

/** dst[0..n) = src[0..n) (f64). */
export function copyF64(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, (<usize>n) << 3);
}

/** a[0..n) = 0 (f64). */
export function zeroF64(a: usize, n: i32): void {
  memory.fill(a, 0, (<usize>n) << 3);
}
