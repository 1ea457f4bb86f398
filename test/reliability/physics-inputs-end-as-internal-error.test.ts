/**
 * Defect 4: physics inputs that passed validation ended as "internal error" (exit 3) inside the kernel, or were
 * accepted silently: a stiffness that is not positive definite, E = 1e300, D = 1e300, a lattice table that is not
 * zero at x = 1, a degenerate cohesive law (λf < λ0), and to_soc ≤ initial_soc on charge. Each is now a ConfigError
 * naming the key, the value and what is allowed (exit 1). The positive-definiteness test uses the closed-form
 * eigenvalues of the hexagonal 6×6 stiffness, checked here against a numerical eigen-solve.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, ConfigError } from '../../src/scenario/resolve.js';
import { hexagonalEigenvalues_GPa } from '../../src/scenario/physical-checks.js';
import { KernelCapacityError } from '../../src/engine/wasm-kernel.js';
import { InputError } from '../../src/errors.js';
import { cli, SMALL_RUN, tempDir, writeJson } from './support.js';

const withMaterial = (overrides: Record<string, unknown>) => ({
  ...SMALL_RUN,
  material: { preset: 'nmc90-bare', ...overrides },
});
const hex = (C: Record<string, number>) => ({
  elasticity: { hexagonal_GPa: { C11: 250, C12: 90, C13: 70, C33: 180, C44: 50, ...C } },
});

const cases: [string, unknown, RegExp][] = [
  [
    'C11 = 10 (others default)',
    withMaterial(hex({ C11: 10 })),
    /material\.elasticity\.hexagonal_GPa: .*not positive definite/,
  ],
  [
    'C13 = 400',
    withMaterial(hex({ C13: 400 })),
    /material\.elasticity\.hexagonal_GPa: .*not positive definite.*\(C11 \+ C12\)·C33 > 2·C13²/,
  ],
  [
    'E_GPa = 1e300',
    withMaterial({ elasticity: { isotropic: { E_GPa: 1e300, nu: 0.3 } } }),
    /material\.elasticity\.isotropic\.E_GPa: got 1e\+300; allowed: 0\.001 to 2000 GPa/,
  ],
  [
    'D_ab_m2_s = 1e300',
    withMaterial({ D_ab_m2_s: 1e300 }),
    /material\.D_ab_m2_s: got 1e\+300; allowed: 1e-22 to 1e-9 m²\/s/,
  ],
  [
    'lattice table not zero at x = 1',
    withMaterial({ lattice_strain: { x: [0, 0.5, 1], a: [-0.01, -0.005, 0.002], c: [0.01, 0.005, 0.001] } }),
    /material\.lattice_strain: is ε_a = 0\.002, ε_c = 0\.001 at x = 1; the lattice strain must be zero at x = 1/,
  ],
  [
    'lattice table ending below x = 1 with a non-zero last value',
    withMaterial({ lattice_strain: { x: [0, 0.5], a: [-0.01, -0.005], c: [0.01, 0.005] } }),
    /material\.lattice_strain: is ε_a = -0\.005/,
  ],
  [
    'degenerate cohesive law (G_c = 1e-6)',
    withMaterial({ gb: { Gc_J_m2: 1e-6 } }),
    /material\.gb\.Gc_J_m2: got 0\.000001; .*needs G_c > σ_max²\/\(2K\)/,
  ],
  [
    'degenerate coating interface',
    { ...SMALL_RUN, coating: { thickness_um: 0.16, interface: { strength_MPa: 500, Gc_J_m2: 1e-6 } } },
    /coating\.interface\.Gc_J_m2: got 0\.000001/,
  ],
  [
    'to_soc ≤ initial_soc on charge',
    { ...SMALL_RUN, loading: { to_soc: 0.3, initial_soc: 0.3 } },
    /loading\.to_soc: got 0\.3 with initial_soc = 0\.3 on charge/,
  ],
  [
    'to_soc ≥ initial_soc on discharge',
    { ...SMALL_RUN, loading: { direction: 'discharge', to_soc: 0.5, initial_soc: 0.2 } },
    /loading\.to_soc: .*a discharge must end below/,
  ],
  [
    'default end of a charge that starts full',
    { ...SMALL_RUN, loading: { initial_soc: 1 } },
    /loading\.to_soc: got 1 with initial_soc = 1/,
  ],
  [
    'C-rate 1e6',
    { ...SMALL_RUN, loading: { c_rates: [1, 1e6], to_soc: 0.3 } },
    /loading\.c_rates\[1\]: got 1000000; allowed: 0\.0001 to 1000 C/,
  ],
];

describe('physics inputs never reach the kernel unchecked', () => {
  for (const [what, config, message] of cases)
    it(`${what}: ConfigError naming the key`, () => {
      expect(() => resolveConfig(config)).toThrow(ConfigError);
      expect(() => resolveConfig(config)).toThrow(message);
    });

  it('the CLI reports one of them with exit 1, not an internal error', () => {
    const r = cli(['run', writeJson(cases[0][1]), '--out', tempDir(), '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not positive definite/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('the sourced-looking but valid sets pass (lithiated NMC811 of Liu 2024, isotropic fallback)', () => {
    expect(() =>
      resolveConfig(withMaterial(hex({ C11: 195, C12: 134, C13: 11.9, C33: 177, C44: 74.1 }))),
    ).not.toThrow();
    expect(() => resolveConfig(withMaterial({ elasticity: { isotropic: { E_GPa: 140, nu: 0.25 } } }))).not.toThrow();
  });

  it('closed-form hexagonal eigenvalues equal a Jacobi eigen-solve of the 6×6 Voigt matrix', () => {
    for (const C of [
      { C11: 250, C12: 90, C13: 70, C33: 180, C44: 50 },
      { C11: 195, C12: 134, C13: 11.9, C33: 177, C44: 74.1 },
      { C11: 10, C12: 90, C13: 400, C33: 180, C44: 50 },
    ]) {
      const c66 = (C.C11 - C.C12) / 2;
      const A = [
        [C.C11, C.C12, C.C13, 0, 0, 0],
        [C.C12, C.C11, C.C13, 0, 0, 0],
        [C.C13, C.C13, C.C33, 0, 0, 0],
        [0, 0, 0, C.C44, 0, 0],
        [0, 0, 0, 0, C.C44, 0],
        [0, 0, 0, 0, 0, c66],
      ];
      expect(hexagonalEigenvalues_GPa(C).map((v) => Number(v.toFixed(9)))).toEqual(
        jacobiEigenvalues(A).map((v) => Number(v.toFixed(9))),
      );
    }
  });

  it('a mesh too large for one WebAssembly kernel is an InputError naming geometry.mesh_size_um', () => {
    const e = new KernelCapacityError(3_000_000, 6_000_000);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^geometry\.mesh_size_um: .*3000000 nodes/);
  });
});

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, ascending. */
function jacobiEigenvalues(input: number[][]): number[] {
  const a = input.map((r) => [...r]);
  const n = a.length;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
  }
  return a.map((r, i) => r[i]).sort((x, y) => x - y);
}
