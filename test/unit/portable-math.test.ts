/**
 * src/math/portable.ts: the host's elementary functions, built from IEEE-exact operations only, so every JavaScript
 * engine gives the same bits (docs/architecture.md, "Portable math"). Here, in Node: within 1 ulp of Node's Math
 * over many arguments, exact at the special values, and a fixed table of (input, expected bits) that pins the
 * results — the browser e2e test checks the same bits come out of Chromium (test/e2e/browser.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/mesh/random.js';
import * as P from '../../src/math/portable.js';

/** The 64 bits of a double, as 16 hex digits. */
function bits(x: number): string {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0).toString(16).padStart(16, '0');
}

/** Distance in units in the last place: the number of doubles between a and b (0 if the same double). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b) || (a === 0 && b === 0)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  // map the doubles monotonically onto the integers: negative ones below zero
  const key = (x: number) => {
    const v = new DataView(new ArrayBuffer(8));
    v.setFloat64(0, x);
    const u = v.getBigInt64(0);
    return u < 0n ? -(u & 0x7fffffffffffffffn) : u;
  };
  const d = key(a) - key(b);
  return Number(d < 0n ? -d : d);
}

const rng = createRng(2026);
/** n arguments uniform in [lo, hi]. */
const uniform = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
/** n arguments log-uniform in magnitude over [10^a, 10^b], random sign when signed. */
const logUniform = (n: number, a: number, b: number, signed: boolean) =>
  Array.from({ length: n }, () => {
    let x = 1;
    const e = a + (b - a) * rng.next();
    // 10^e from exact operations only is not needed here: the arguments just have to spread over the decades
    for (let k = 0; k < Math.floor(e); k++) x *= 10;
    for (let k = 0; k > Math.floor(e); k--) x /= 10;
    x *= 1 + 9 * rng.next();
    return signed && rng.next() < 0.5 ? -x : x;
  });

const N = 20000;

describe('portable math agrees with Node’s Math to ≤ 1 ulp', () => {
  const unary: [string, (x: number) => number, (x: number) => number, number[]][] = [
    ['sin', P.sin, Math.sin, [...uniform(N, -10, 10), ...logUniform(N, -300, 8, true)]],
    ['cos', P.cos, Math.cos, [...uniform(N, -10, 10), ...logUniform(N, -300, 8, true)]],
    ['asin', P.asin, Math.asin, [...uniform(N, -1, 1), ...logUniform(N, -300, -1, true)]],
    ['acos', P.acos, Math.acos, [...uniform(N, -1, 1), ...logUniform(N, -300, -1, true)]],
    ['exp', P.exp, Math.exp, [...uniform(N, -745, 709), ...uniform(N, -2, 2)]],
    ['expm1', P.expm1, Math.expm1, [...uniform(N, -40, 709), ...logUniform(N, -300, 0, true)]],
    ['atan', P.atan, Math.atan, [...uniform(N, -10, 10), ...logUniform(N, -300, 300, true)]],
    ['log', P.log, Math.log, [...logUniform(2 * N, -307, 307, false), ...uniform(N, 0.5, 2)]],
  ];
  for (const [name, f, ref, xs] of unary) {
    it(`${name}: ${xs.length} arguments`, () => {
      let worst = 0;
      let at = NaN;
      for (const x of xs) {
        const d = ulps(f(x), ref(x));
        if (d > worst) [worst, at] = [d, x];
      }
      expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(1);
    });
  }

  it('atan2 over the four quadrants and many scales', () => {
    const ys = logUniform(2 * N, -200, 200, true);
    const xs = logUniform(2 * N, -200, 200, true);
    let worst = 0;
    for (let i = 0; i < ys.length; i++) worst = Math.max(worst, ulps(P.atan2(ys[i], xs[i]), Math.atan2(ys[i], xs[i])));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('hypot and hypot3 give exactly V8’s Math.hypot (same algorithm), also without over/underflow', () => {
    const a = logUniform(2 * N, -300, 300, true);
    const b = logUniform(2 * N, -300, 300, true);
    const c = uniform(2 * N, -1, 1);
    for (let i = 0; i < a.length; i++) {
      if (!Object.is(P.hypot(a[i], b[i]), Math.hypot(a[i], b[i])))
        expect(bits(P.hypot(a[i], b[i]))).toBe(bits(Math.hypot(a[i], b[i])));
      const h3 = P.hypot3(a[i], b[i], c[i]);
      if (!Object.is(h3, Math.hypot(a[i], b[i], c[i]))) expect(bits(h3)).toBe(bits(Math.hypot(a[i], b[i], c[i])));
    }
  });

  it('roundLog2 and pow2 are exact: 2^round(log2 x) with the halfway point at x = √2 · 2^k', () => {
    for (let k = -1074; k <= 1023; k++) expect(P.pow2(k)).toBe(2 ** k);
    for (const x of logUniform(N, -300, 300, false)) expect(P.roundLog2(x)).toBe(Math.round(Math.log2(x)) + 0); // + 0: Math.round(−0.3) is −0
    for (let k = -20; k <= 20; k++) {
      const s = Math.SQRT2 * P.pow2(k); // the double just above √2 · 2^k
      expect(P.roundLog2(s)).toBe(k + 1);
      expect(P.roundLog2(s - s * Number.EPSILON)).toBe(k); // one ulp below, under √2 · 2^k
      expect(P.roundLog2(P.pow2(k))).toBe(k);
    }
    expect(() => P.pow2(0.5)).toThrow(/integer/);
    expect(() => P.roundLog2(0)).toThrow(/x > 0/);
  });
});

describe('portable math at the special values (exact)', () => {
  const halfPi = Math.PI / 2;
  it('zeros keep their sign where the function is odd; 1 and π/2 give the exact results', () => {
    for (const f of [P.sin, P.asin, P.expm1]) {
      expect(Object.is(f(0), 0)).toBe(true);
      expect(Object.is(f(-0), -0)).toBe(true);
    }
    expect(P.cos(0)).toBe(1);
    expect(P.cos(-0)).toBe(1);
    expect(P.exp(0)).toBe(1);
    expect(P.log(1)).toBe(0);
    expect(P.acos(1)).toBe(0);
    expect(P.acos(0)).toBe(halfPi);
    expect(P.asin(1)).toBe(halfPi);
    expect(P.asin(-1)).toBe(-halfPi);
    expect(P.acos(-1)).toBe(Math.PI);
    expect(P.sin(halfPi)).toBe(1);
    expect(P.sin(-halfPi)).toBe(-1);
    expect(P.cos(halfPi)).toBe(Math.cos(halfPi)); // 6.123233995736766e-17, the cosine of the double nearest π/2
    expect(P.atan2(1, 0)).toBe(halfPi);
    expect(P.atan2(-1, 0)).toBe(-halfPi);
    expect(P.atan2(0, -1)).toBe(Math.PI);
    expect(Object.is(P.atan2(-0, 1), -0)).toBe(true);
    expect(P.atan2(1, 1)).toBe(Math.PI / 4);
    // y/x underflows with x < 0: still the right side of the cut (−π below it, π above it)
    expect(P.atan2(-1e-200, -1e200)).toBe(-Math.PI);
    expect(P.atan2(1e-200, -1e200)).toBe(Math.PI);
    expect(P.atan2(1e200, 1e-200)).toBe(Math.PI / 2);
    expect(P.hypot(3, 4)).toBe(5);
    expect(P.hypot3(2, 3, 6)).toBe(7);
  });

  it('NaN in, NaN out; ±Infinity as Math does', () => {
    for (const f of [P.sin, P.cos, P.asin, P.acos, P.exp, P.expm1, P.log]) expect(f(NaN)).toBeNaN();
    expect(P.atan2(NaN, 1)).toBeNaN();
    expect(P.atan2(1, NaN)).toBeNaN();
    expect(P.hypot(NaN, 1)).toBeNaN();
    expect(P.hypot(NaN, Infinity)).toBe(Infinity);
    expect(P.hypot3(1, -Infinity, NaN)).toBe(Infinity);
    expect(P.sin(Infinity)).toBeNaN();
    expect(P.cos(-Infinity)).toBeNaN();
    expect(P.asin(1.5)).toBeNaN();
    expect(P.acos(-1.5)).toBeNaN();
    expect(P.exp(Infinity)).toBe(Infinity);
    expect(P.exp(-Infinity)).toBe(0);
    expect(P.exp(710)).toBe(Infinity);
    expect(P.expm1(-Infinity)).toBe(-1);
    expect(P.log(Infinity)).toBe(Infinity);
    expect(P.log(0)).toBe(-Infinity);
    expect(P.log(-1)).toBeNaN();
    expect(P.atan2(Infinity, Infinity)).toBe(Math.PI / 4);
    expect(P.atan2(1, -Infinity)).toBe(Math.PI);
    expect(P.hypot(1e300, 1e300)).toBe(Math.hypot(1e300, 1e300)); // no overflow
  });
});

/**
 * Pinned results (input → IEEE-754 bits). These are what the pinned @stdlib versions compute; they must not move:
 * a dependency update that changes one changes every mesh (test/unit/mesh-bytes.test.ts) and the history.
 */
const PINNED: [keyof typeof P, number[], string][] = [
  ['sin', [1], '3feaed548f090cee'],
  ['sin', [-2.5], 'bfe326af0dcfcab0'],
  ['sin', [0.1], '3fb98eaecb8bcb2c'],
  ['sin', [100], 'bfe03425b78c4db8'],
  ['sin', [1000000], 'bfd6664b2568d867'],
  ['sin', [3.141592653589793], '3ca1a62633145c07'],
  ['cos', [1], '3fe14a280fb5068c'],
  ['cos', [-2.5], 'bfe9a2f7ef858b7d'],
  ['cos', [0.1], '3fefd712f9a817c1'],
  ['cos', [100], '3feb981dbf665fdf'],
  ['cos', [1000000], '3fedf9df9906d32c'],
  ['cos', [3.141592653589793], 'bff0000000000000'],
  ['asin', [0.5], '3fe0c152382d7366'],
  ['asin', [-0.3], 'bfd380159e14f6ff'],
  ['asin', [0.99], '3ff6de3c6f33d51e'],
  ['acos', [0.5], '3ff0c152382d7365'],
  ['acos', [-0.3], '3ffe0200bbc96ad8'],
  ['acos', [0.99], '3fc21df72882bfd7'],
  ['atan', [0.5], '3fddac670561bb4f'],
  ['atan', [-3], 'bff3fc176b7a8560'],
  ['atan2', [1, 2], '3fddac670561bb4f'],
  ['atan2', [-3, 0.5], 'bff67d8863bc99bd'],
  ['atan2', [0.001, -7], '400921b06e4e282f'],
  ['exp', [1], '4005bf0a8b14576a'],
  ['exp', [-2.5], '3fb50385c094f425'],
  ['exp', [10], '40d5829dcf950560'],
  ['exp', [0.001], '3ff0041919b7ee34'],
  ['exp', [-700], '00d14f2b0fb9307f'],
  ['expm1', [1e-10], '3ddb7cdfd9dda4e3'],
  ['expm1', [0.5], '3fe4c2531c3c0d38'],
  ['expm1', [-3], 'bfee6824f33314f5'],
  ['log', [2], '3fe62e42fefa39ef'],
  ['log', [10], '40026bb1bbb55516'],
  ['log', [0.001], 'c01ba18a998fffa0'],
  ['log', [1e300], '4085963447f87fb5'],
  ['hypot', [3, 4], '4014000000000000'],
  ['hypot', [1e-200, 2e-200], '167b62b60ac37e38'],
  ['hypot', [0.1, 0.7], '3fe6a09e667f3bcd'],
  ['hypot3', [0.1, 0.2, 0.3], '3fd7f254dab9cc3b'],
];

/** The pinned table, for the browser e2e test to evaluate in Chromium. */
export const PINNED_PORTABLE_RESULTS = PINNED;

describe('portable math: pinned bits', () => {
  for (const [name, args, expected] of PINNED) {
    it(`${name}(${args.join(', ')}) = 0x${expected}`, () => {
      const f = P[name] as (...a: number[]) => number;
      expect(bits(f(...args))).toBe(expected);
    });
  }
});
