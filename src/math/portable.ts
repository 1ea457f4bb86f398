/**
 * Portable math for the host: elementary functions that give the same bits on every JavaScript engine.
 *
 * Why: ECMAScript leaves Math.sin, cos, atan2, exp, log, pow (and the `**` operator, which is pow), hypot, … as
 * "implementation-approximated", and engines do differ in the last bit — Chromium 156's V8 and Node 20's V8 did for
 * sin, cos, atan2, exp, log, asin, acos and pow. The mesher and the host set-up use these functions, and a
 * last-bit difference in one node coordinate grows into a different crack history (docs/architecture.md, "Portable
 * math"). + − × ÷ and Math.sqrt are correctly rounded by the standard, so any function built from them alone (no
 * fused multiply-add in JavaScript) gives the same result everywhere. Everything here is such a function:
 *  - sin … log: the @stdlib/math-base-special-* packages, pure-JavaScript ports of FreeBSD's msun (fdlibm) that read
 *    and write the words of a double through typed arrays and call no Math transcendental (checked for the pinned
 *    versions; the unit test pins results bit for bit, so a package update that changes one fails it);
 *  - atan2: written here, fdlibm's algorithm on the package's atan (see atan2 for why not the package's atan2);
 *  - hypot: written here, the algorithm V8 uses (scale by the largest |x_i|, compensated sum of squares, sqrt),
 *    so on V8 it gives the bits Math.hypot gave, and the same bits on any other engine;
 *  - roundLog2 / pow2: exact, for the power-of-two sizes of the mesher.
 * Accuracy: within 1 ulp of Node's Math (test/unit/portable-math.test.ts, over random arguments).
 *
 * eslint (eslint.config.js) forbids the Math functions and `**` in src/ everywhere but here. The WASM kernel is not
 * concerned: AssemblyScript compiles its own Math (also a musl/fdlibm port) into the module.
 */
import stdlibAcos from '@stdlib/math-base-special-acos';
import stdlibAsin from '@stdlib/math-base-special-asin';
import stdlibAtan from '@stdlib/math-base-special-atan';
import stdlibCos from '@stdlib/math-base-special-cos';
import stdlibExp from '@stdlib/math-base-special-exp';
import stdlibExpm1 from '@stdlib/math-base-special-expm1';
import stdlibLn from '@stdlib/math-base-special-ln';
import stdlibSin from '@stdlib/math-base-special-sin';

/** sin x (x in radians). */
export const sin: (x: number) => number = stdlibSin;
/** cos x (x in radians). */
export const cos: (x: number) => number = stdlibCos;
/** asin x in [−π/2, π/2]; NaN outside [−1, 1]. */
export const asin: (x: number) => number = stdlibAsin;
/** acos x in [0, π]; NaN outside [−1, 1]. */
export const acos: (x: number) => number = stdlibAcos;
/** atan x in (−π/2, π/2). */
export const atan: (x: number) => number = stdlibAtan;

// The high 32 bits of a double (sign, exponent, top of the significand), read through a shared buffer.
const wordF64 = new Float64Array(1);
const wordU32 = new Uint32Array(wordF64.buffer);
wordF64[0] = 1;
const HIGH = wordU32[1] === 0x3ff00000 ? 1 : 0; // little- or big-endian platform
function highWord(x: number): number {
  wordF64[0] = x;
  return wordU32[HIGH] | 0;
}

const PI = Math.PI; // 0x400921FB54442D18
const PI_LO = 1.2246467991473532e-16; // π − PI, 0x3CA1A62633145C07

/**
 * The angle of (x, y) from the +x axis, in [−π, π] (argument order as Math.atan2): fdlibm's e_atan2 on top of atan.
 * Written here rather than taken from @stdlib/math-base-special-atan2, whose q = atan(y/x) ± π returns +π instead
 * of −π when y, x < 0 and y/x underflows:
 *   |y/x| > 2⁶⁰: ±π/2;  x < 0 and |y/x| < 2⁻⁶⁰: ±π;  else z = atan|y/x|, then z, −z, π − (z − π_lo) or
 *   (z − π_lo) − π by the quadrant, π_lo = π − PI carrying the bits of π that PI cannot.
 */
export function atan2(y: number, x: number): number {
  if (x !== x || y !== y) return NaN;
  if (x === 1) return stdlibAtan(y);
  const yNegative = y < 0 || Object.is(y, -0);
  const xNegative = x < 0 || Object.is(x, -0);
  if (y === 0) return xNegative ? (yNegative ? -PI : PI) : y; // atan2(±0, +x) = ±0, atan2(±0, −x) = ±π
  if (x === 0) return yNegative ? -PI / 2 : PI / 2;
  if (x === Infinity || x === -Infinity) {
    if (y === Infinity || y === -Infinity) {
      const a = x > 0 ? PI / 4 : (3 * PI) / 4;
      return yNegative ? -a : a;
    }
    if (x > 0) return yNegative ? -0 : 0;
    return yNegative ? -PI : PI;
  }
  if (y === Infinity || y === -Infinity) return yNegative ? -PI / 2 : PI / 2;
  // k: the difference of the binary exponents of y and x
  const k = ((highWord(y) & 0x7fffffff) - (highWord(x) & 0x7fffffff)) >> 20;
  let z: number;
  if (k > 60) z = PI / 2 + 0.5 * PI_LO;
  else if (xNegative && k < -60) z = 0;
  else z = stdlibAtan(Math.abs(y / x));
  if (!xNegative) return yNegative ? -z : z;
  return yNegative ? z - PI_LO - PI : PI - (z - PI_LO);
}
/** eˣ. */
export const exp: (x: number) => number = stdlibExp;
/** eˣ − 1, accurate for small x. */
export const expm1: (x: number) => number = stdlibExpm1;
/** Natural logarithm ln x (Math.log). */
export const log: (x: number) => number = stdlibLn;

/**
 * √(x² + y²) without overflow or underflow, as V8's Math.hypot computes it: m = max(|x|, |y|); Infinity if either
 * is infinite, else NaN if either is NaN; 0 if m = 0; else √((x/m)² + (y/m)²) · m. (V8 sums the squares with a
 * Kahan compensation, which is exactly 0 after the first term, so two terms need none.)
 */
export function hypot(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (ax === Infinity || ay === Infinity) return Infinity;
  if (ax !== ax || ay !== ay) return NaN;
  const max = ax > ay ? ax : ay;
  if (max === 0) return 0;
  const nx = ax / max;
  const ny = ay / max;
  return Math.sqrt(nx * nx + ny * ny) * max;
}

/** √(x² + y² + z²), V8's Math.hypot for three arguments (see hypot; the third square is compensated). */
export function hypot3(x: number, y: number, z: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const az = Math.abs(z);
  if (ax === Infinity || ay === Infinity || az === Infinity) return Infinity;
  if (ax !== ax || ay !== ay || az !== az) return NaN;
  const max = Math.max(ax, ay, az);
  if (max === 0) return 0;
  const nx = ax / max;
  const ny = ay / max;
  const nz = az / max;
  // Kahan: after x² and y², sum = x² + y² (rounded) and compensation = (sum − x²) − y²
  const sum = nx * nx + ny * ny;
  const compensation = sum - nx * nx - ny * ny;
  return Math.sqrt(sum + (nz * nz - compensation)) * max;
}

/** 2ᵏ for an integer k (exact: products of powers of two; 0 or Infinity out of range). */
export function pow2(k: number): number {
  if (!Number.isInteger(k)) throw new RangeError(`pow2 needs an integer exponent, got ${k}`);
  let r = 1;
  let step = k >= 0 ? 2 : 0.5;
  for (let n = Math.abs(k); n > 0; n = Math.floor(n / 2)) {
    if (n % 2 === 1) r *= step;
    step *= step;
  }
  return r;
}

/**
 * round(log₂ x) for a finite x > 0, exactly (as Math.round: halves up): x = m · 2ᵉ with m in [1, 2) found by exact
 * halving/doubling; log₂ m ≥ ½ ⇔ m ≥ √2 ⇔ m ≥ Math.SQRT2 (the double just above √2, and m is a double).
 */
export function roundLog2(x: number): number {
  if (!(x > 0) || x === Infinity) throw new RangeError(`roundLog2 needs a finite x > 0, got ${x}`);
  let e = 0;
  let m = x;
  while (m >= 2) {
    m /= 2;
    e++;
  }
  while (m < 1) {
    m *= 2;
    e--;
  }
  return m >= Math.SQRT2 ? e + 1 : e;
}
