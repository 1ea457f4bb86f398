/**
 * Small deterministic pseudo-random generator for the mesher (never `Math.random`): the same seed must give a
 * byte-identical mesh on every platform, so everything random goes through this file.
 *
 * Generator: splitmix32 (a 32-bit variant of Vigna's splitmix64 finaliser, as used by e.g. the `pure-rand`
 * family). State advances by the golden-ratio increment 0x9e3779b9; each output is a bijective avalanche mix of
 * the state, so nearby seeds give unrelated streams. Period 2^32, far more than the ~10^6 draws a mesh needs.
 */
import { cos, log } from '../math/portable.js';
export interface Rng {
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal N(0, 1) (Box–Muller, one value per call). */
  normal(): number;
}

export function createRng(seed: number): Rng {
  // Fold the (possibly large or negative) integer seed into 32 bits deterministically.
  let state = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296) ^ 0x2545f491) >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    normal: () => {
      // u1 in (0, 1] so the log is finite.
      const u1 = 1 - next();
      const u2 = next();
      return Math.sqrt(-2 * log(u1)) * cos(2 * Math.PI * u2);
    },
  };
}

/** Fisher–Yates shuffle in place with the given generator. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}
