/** In-place ascending sort of i32[lo, hi) in linear memory (quicksort, insertion sort below 16). No allocation. */
import { ldi, sti } from './mem';

export function sortI32(p: usize, lo: i32, hi: i32): void {
  while (hi - lo > 16) {
    const m = lo + ((hi - lo) >> 1);
    const a = ldi(p, lo),
      b = ldi(p, m),
      c = ldi(p, hi - 1);
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo,
      j = hi - 1;
    while (i <= j) {
      while (ldi(p, i) < pivot) i++;
      while (ldi(p, j) > pivot) j--;
      if (i <= j) {
        const t = ldi(p, i);
        sti(p, i, ldi(p, j));
        sti(p, j, t);
        i++;
        j--;
      }
    }
    // recurse into the smaller part, loop on the larger (bounded stack depth)
    if (j + 1 - lo < hi - i) {
      sortI32(p, lo, j + 1);
      lo = i;
    } else {
      sortI32(p, i, hi);
      hi = j + 1;
    }
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = ldi(p, i);
    let j = i - 1;
    while (j >= lo && ldi(p, j) > v) {
      sti(p, j + 1, ldi(p, j));
      j--;
    }
    sti(p, j + 1, v);
  }
}
