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

/** dst[0..n) = src[0..n) (f64). */
export function copyF64(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, (<usize>n) << 3);
}
