/**
 * Physical admissibility of a config, beyond what the schema's types and signs say: no user value reaches the
 * kernel unchecked. Each check names the key, the value and what is allowed; `resolveConfig` collects them into
 * one ConfigError.
 *
 *  - Bounds: every physical number within a documented window (`PHYSICAL_BOUNDS`), wide enough for any
 *    battery material, narrow enough that the kernel's arithmetic stays finite (e.g. E = 1e300 GPa overflows).
 *  - Stiffness: the 6×6 hexagonal (transversely isotropic) Voigt matrix must be positive definite. Its
 *    eigenvalues are C11 − C12, C44 (twice), C66 = (C11 − C12)/2 and those of the 2×2 block
 *    [[C11 + C12, √2 C13], [√2 C13, C33]]; positive definite ⇔ C11 > |C12|, C44 > 0, C33 > 0 and
 *    (C11 + C12) C33 > 2 C13².
 *  - Lattice strain: zero at x = 1 (the pristine, lithiated state every run starts from).
 *  - Cohesive law: λf > λ0, i.e. 2 G_c / σ_max > σ_max / K ⇔ G_c > σ_max² / (2 K); otherwise the bilinear
 *    law has no softening branch.
 *  - Loading: the end SoC lies ahead of the initial SoC in the loading direction.
 */
import type { Elasticity, GrainBoundaryLaw, LatticeStrainTable, MaterialSpec } from '../materials/presets.js';
import type { ParsedConfig } from './config-schema.js';
import { hypot } from '../math/portable.js';

export interface ConfigIssue {
  key: string;
  message: string;
}

/** [lowest, highest] allowed value of a physical quantity, with its unit. Documented in docs/config.md. */
export const PHYSICAL_BOUNDS = {
  radius_um: [0.05, 1000, 'µm'],
  D_m2_s: [1e-22, 1e-9, 'm²/s'],
  D_c_over_D_ab: [1e-4, 1e4, ''],
  stiffness_GPa: [-2000, 2000, 'GPa'],
  E_GPa: [1e-3, 2000, 'GPa'],
  lattice_strain: [-0.25, 0.25, '(fraction)'],
  strength_MPa: [1e-3, 1e5, 'MPa'],
  Gc_J_m2: [1e-6, 1e4, 'J/m²'],
  penalty_GPa_per_um: [1e-3, 1e7, 'GPa/µm'],
  viscosity_s: [0, 1e8, 's'],
  c_rate: [1e-4, 1000, 'C'],
  duration_s: [1e-6, 1e10, 's'],
  dt_s: [1e-9, 1e7, 's'],
} as const satisfies Record<string, readonly [number, number, string]>;

type BoundName = keyof typeof PHYSICAL_BOUNDS;

function show(v: unknown): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

function inBounds(out: ConfigIssue[], key: string, value: number, bound: BoundName): void {
  const [lo, hi, unit] = PHYSICAL_BOUNDS[bound];
  if (!(value >= lo && value <= hi))
    out.push({ key, message: `got ${show(value)}; allowed: ${lo} to ${hi}${unit ? ' ' + unit : ''}` });
}

/** Eigenvalues of the hexagonal 6×6 Voigt stiffness (GPa), ascending. */
export function hexagonalEigenvalues_GPa(C: {
  C11: number;
  C12: number;
  C13: number;
  C33: number;
  C44: number;
}): number[] {
  const p = C.C11 + C.C12;
  const mean = (p + C.C33) / 2;
  const r = hypot((p - C.C33) / 2, Math.SQRT2 * C.C13);
  return [C.C11 - C.C12, C.C44, C.C44, (C.C11 - C.C12) / 2, mean - r, mean + r].sort((a, b) => a - b);
}

function checkElasticity(out: ConfigIssue[], key: string, e: Elasticity): void {
  if ('isotropic' in e) {
    inBounds(out, `${key}.isotropic.E_GPa`, e.isotropic.E_GPa, 'E_GPa');
    return;
  }
  const C = e.hexagonal_GPa;
  const before = out.length;
  for (const c of ['C11', 'C12', 'C13', 'C33', 'C44'] as const)
    inBounds(out, `${key}.hexagonal_GPa.${c}`, C[c], 'stiffness_GPa');
  if (out.length > before) return;
  const eig = hexagonalEigenvalues_GPa(C);
  if (!(eig[0] > 0))
    out.push({
      key: `${key}.hexagonal_GPa`,
      message:
        `got ${show(C)}, which is not positive definite (eigenvalues of the 6×6 stiffness: ` +
        `${eig.map((v) => Number(v.toPrecision(4))).join(', ')} GPa); a hexagonal crystal needs C11 > |C12|, C44 > 0, ` +
        'C33 > 0 and (C11 + C12)·C33 > 2·C13²',
    });
}

/** Interpolated value of a lattice-strain column at x (held constant beyond the table, as the kernel does). */
function tableAt(xs: number[], ys: number[], x: number): number {
  if (x <= xs[0]) return ys[0];
  for (let i = 1; i < xs.length; i++)
    if (x <= xs[i]) return ys[i - 1] + ((ys[i] - ys[i - 1]) * (x - xs[i - 1])) / (xs[i] - xs[i - 1]);
  return ys[ys.length - 1];
}

function checkLattice(out: ConfigIssue[], key: string, t: LatticeStrainTable): void {
  const before = out.length;
  t.a.forEach((v, i) => inBounds(out, `${key}.a[${i}]`, v, 'lattice_strain'));
  t.c.forEach((v, i) => inBounds(out, `${key}.c[${i}]`, v, 'lattice_strain'));
  if (out.length > before) return;
  const a1 = tableAt(t.x, t.a, 1);
  const c1 = tableAt(t.x, t.c, 1);
  if (Math.abs(a1) > 1e-12 || Math.abs(c1) > 1e-12)
    out.push({
      key,
      message:
        `is ε_a = ${a1}, ε_c = ${c1} at x = 1; the lattice strain must be zero at x = 1 (the pristine, lithiated ` +
        'state every run starts from, stress-free); end the table with x = 1, a = 0, c = 0',
    });
}

/** λf > λ0 of a bilinear law: G_c > σ_max² / (2 K), with K in MPa/µm and G_c in MPa·µm (= J/m²). */
function checkCohesive(
  out: ConfigIssue[],
  key: string,
  strength_MPa: number,
  Gc_J_m2: number,
  penalty_GPa_per_um: number,
): void {
  const K = penalty_GPa_per_um * 1e3;
  const minGc = (strength_MPa * strength_MPa) / (2 * K);
  if (!(Gc_J_m2 > minGc))
    out.push({
      key: `${key}.Gc_J_m2`,
      message:
        `got ${show(Gc_J_m2)}; with strength_MPa = ${strength_MPa} and a penalty of ${Number(penalty_GPa_per_um.toPrecision(4))} GPa/µm ` +
        `the bilinear law needs G_c > σ_max²/(2K) = ${Number(minGc.toPrecision(3))} J/m² (final opening λf = 2G_c/σ_max beyond ` +
        'the damage onset λ0 = σ_max/K); raise Gc_J_m2 or lower strength_MPa',
    });
}

/** Bulk material checks (grains or coating); `key` is where the material stands in the config. */
export function checkMaterial(out: ConfigIssue[], key: string, m: MaterialSpec): void {
  inBounds(out, `${key}.D_ab_m2_s`, m.D_ab_m2_s, 'D_m2_s');
  inBounds(out, `${key}.D_c_over_D_ab`, m.D_c_over_D_ab, 'D_c_over_D_ab');
  checkElasticity(out, `${key}.elasticity`, m.elasticity);
  checkLattice(out, `${key}.lattice_strain`, m.lattice_strain);
}

/** Grain-boundary law with its (possibly derived) penalty. */
export function checkGrainBoundary(
  out: ConfigIssue[],
  key: string,
  gb: GrainBoundaryLaw & { penalty_GPa_per_um: number },
): void {
  if (!gb.enabled) return;
  const before = out.length;
  inBounds(out, `${key}.strength_MPa`, gb.strength_MPa, 'strength_MPa');
  inBounds(out, `${key}.Gc_J_m2`, gb.Gc_J_m2, 'Gc_J_m2');
  inBounds(out, `${key}.penalty_GPa_per_um`, gb.penalty_GPa_per_um, 'penalty_GPa_per_um');
  inBounds(out, `${key}.viscosity_s`, gb.viscosity_s, 'viscosity_s');
  if (out.length === before) checkCohesive(out, key, gb.strength_MPa, gb.Gc_J_m2, gb.penalty_GPa_per_um);
}

/** A cohesive coating/grain interface uses the grain boundaries' penalty. */
export function checkCoatingInterface(
  out: ConfigIssue[],
  iface: 'bonded' | { strength_MPa: number; Gc_J_m2: number },
  penalty_GPa_per_um: number,
): void {
  if (iface === 'bonded') return;
  const before = out.length;
  inBounds(out, 'coating.interface.strength_MPa', iface.strength_MPa, 'strength_MPa');
  inBounds(out, 'coating.interface.Gc_J_m2', iface.Gc_J_m2, 'Gc_J_m2');
  if (out.length === before)
    checkCohesive(out, 'coating.interface', iface.strength_MPa, iface.Gc_J_m2, penalty_GPa_per_um);
}

/** Geometry, loading and solver numbers of the parsed config. */
export function checkLoadingAndGeometry(out: ConfigIssue[], c: ParsedConfig): void {
  inBounds(out, 'geometry.radius_um', c.geometry.radius_um, 'radius_um');
  const rates = typeof c.loading.c_rates === 'number' ? [c.loading.c_rates] : c.loading.c_rates;
  rates.forEach((r, i) =>
    inBounds(out, typeof c.loading.c_rates === 'number' ? 'loading.c_rates' : `loading.c_rates[${i}]`, r, 'c_rate'),
  );
  if (c.loading.duration_s !== undefined) inBounds(out, 'loading.duration_s', c.loading.duration_s, 'duration_s');
  for (const k of ['max_dt_s', 'min_dt_s', 'initial_dt_s', 'damage_dt_floor_s'] as const)
    inBounds(out, `solver.${k}`, c.solver[k], 'dt_s');
  for (const leg of ['charge', 'discharge'] as const) {
    const r = c.loading[leg]?.c_rates;
    if (r === undefined) continue;
    (typeof r === 'number' ? [r] : r).forEach((v, i) =>
      inBounds(out, typeof r === 'number' ? `loading.${leg}.c_rates` : `loading.${leg}.c_rates[${i}]`, v, 'c_rate'),
    );
  }
  if (c.loading.rest_s !== undefined && c.loading.rest_s > 0)
    inBounds(out, 'loading.rest_s', c.loading.rest_s, 'duration_s');
  if (c.loading.protocol === 'cycling') return;
  const { initial_soc, direction, duration_s } = c.loading;
  // the resolver's default end: full charge, or full discharge
  const to_soc = c.loading.to_soc ?? (duration_s === undefined ? (direction === 'charge' ? 1 : 0) : undefined);
  if (to_soc !== undefined) {
    const ahead = direction === 'charge' ? to_soc > initial_soc : to_soc < initial_soc;
    if (!ahead)
      out.push({
        key: 'loading.to_soc',
        message:
          `got ${to_soc} with initial_soc = ${initial_soc} on ${direction}; a ${direction} must end ` +
          `${direction === 'charge' ? 'above' : 'below'} its initial SoC (charge raises the SoC, discharge lowers it)`,
      });
  }
}
