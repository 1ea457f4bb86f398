import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, resolveConfig } from '../../src/scenario/resolve.js';
import { MATERIAL_PRESETS, hexagonalStiffness_GPa } from '../../src/materials/presets.js';
import { REFERENCE_VARIANTS, referenceConfig } from '../../src/scenario/reference.js';
import { ENGINE_VERSION } from '../../src/version.js';

function errorOf(config: unknown): ConfigError {
  try {
    resolveConfig(config);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('config resolution', () => {
  it('fills every default from an empty config (docs/physics.md §4)', () => {
    const c = resolveConfig({});
    expect(c.geometry).toEqual({ shape: 'quarter', radius_um: 5, mesh_size_um: 0.1 });
    expect(c.microstructure.grains).toBe(100); // 0.5 µm grains in a 5 µm quarter
    expect(c.microstructure.mean_grain_diameter_um).toBeCloseTo(0.5, 2);
    expect(c.loading.c_rates).toEqual([1, 0.5, 0.1]);
    expect(c.loading.to_soc).toBe(1);
    expect(c.loading.delta_x_1C).toBeCloseTo(200 / 275, 12);
    expect(c.loading.temperature_K).toBe(298.15);
    // the sourced NMC811 set with the O'Regan D(x) (docs/physics.md §8)
    expect(c.material.name).toBe('nmc811');
    expect(c.material.diffusivity_model).toBe('oregan2022');
    expect(c.material.D_c_over_D_ab).toBe(0.1);
    expect(c.material.gb.strength_MPa).toBe(200);
    expect(c.material.gb.Gc_J_m2).toBe(2);
    // K = 50 E / d with E = max(C11 − C12²/C11, C33 − C13²/C11) = 176.3 GPa (Liu 2024 NMC811), d = 0.5 µm
    expect(c.material.gb.penalty_GPa_per_um).toBeCloseTo(
      (50 * (177 - 11.9 ** 2 / 195)) / c.microstructure.mean_grain_diameter_um,
      6,
    );
    expect(c.coating).toBeNull();
    expect(c.porosity).toBeNull();
  });

  it('derives the grain count from the mean grain diameter', () => {
    const c = resolveConfig({ microstructure: { mean_grain_diameter_um: 1 } });
    expect(c.microstructure.grains).toBe(Math.round((0.25 * Math.PI * 25) / (Math.PI / 4)));
  });

  it('expands presets and applies overrides', () => {
    const c = resolveConfig({
      material: {
        preset: 'nmc90-bare',
        D_ab_m2_s: 2e-14,
        gb: { strength_MPa: 150 },
        elasticity: { isotropic: { E_GPa: 170, nu: 0.28 } },
      },
      porosity: 'gradient',
      coating: {},
    });
    expect(c.material.D_ab_m2_s).toBe(2e-14);
    expect(c.material.gb.strength_MPa).toBe(150);
    expect(c.material.gb.Gc_J_m2).toBe(2);
    expect(c.porosity).toEqual({ center: 0.13, surface: 0.08 });
    expect(c.coating?.thickness_um).toBe(0.16);
    expect(c.coating?.material.name).toBe('mf-coating');
    expect(c.coating?.interface).toBe('bonded');
  });

  it('MF preset has the bare lattice-strain shape scaled by 0.3 (ε_c ends at −0.6 %)', () => {
    const bare = MATERIAL_PRESETS['nmc90-bare'].lattice_strain;
    const mf = MATERIAL_PRESETS['nmc90-mf'].lattice_strain;
    const at = (t: typeof bare, x: number) => t.c[t.x.indexOf(x)];
    expect(at(bare, 0.27)).toBeCloseTo(-0.02, 12);
    expect(at(mf, 0.27)).toBeCloseTo(-0.006, 12);
    expect(at(bare, 0.64)).toBeCloseTo(0.01, 12);
    expect(bare.a[bare.x.indexOf(0.27)]).toBeCloseTo(-0.01, 4);
    expect(bare.c[bare.x.indexOf(1)]).toBe(0);
  });

  it('isotropic elasticity is the special case C11 = C33 = λ + 2μ, C12 = C13 = λ, C44 = μ', () => {
    const C = hexagonalStiffness_GPa({ isotropic: { E_GPa: 170, nu: 0.28 } });
    const lambda = (170 * 0.28) / (1.28 * 0.44);
    const mu = 170 / 2.56;
    expect(C.C11).toBeCloseTo(lambda + 2 * mu, 10);
    expect(C.C33).toBeCloseTo(lambda + 2 * mu, 10);
    expect(C.C12).toBeCloseTo(lambda, 10);
    expect(C.C13).toBeCloseTo(lambda, 10);
    expect(C.C44).toBeCloseTo(mu, 10);
  });

  it('gb.enabled = false gives a perfectly bonded mesh without interfaces', () => {
    const c = resolveConfig({ material: { preset: 'nmc90-bare', gb: { enabled: false } } });
    expect(c.microstructure.interfaces).toBe('none');
    expect(c.material.gb.enabled).toBe(false);
  });

  it('the four reference variants resolve', () => {
    for (const v of REFERENCE_VARIANTS) expect(resolveConfig(referenceConfig(v)).name).toBe(v);
  });

  it('the engine version matches package.json', () => {
    expect(JSON.parse(readFileSync('package.json', 'utf8')).version).toBe(ENGINE_VERSION);
  });
});

describe('bad input names the key, the value and what is allowed', () => {
  const cases: [string, unknown, RegExp][] = [
    ['unknown top-level key', { geometri: {} }, /geometri: unknown key \(allowed here: .*geometry/],
    [
      'unknown nested key',
      { geometry: { radius: 5 } },
      /geometry\.radius: unknown key \(allowed here: shape, radius_um, mesh_size_um\)/,
    ],
    ['wrong unit in a key', { loading: { duration_h: 1 } }, /loading\.duration_h: unknown key.*duration_s/],
    ['negative radius', { geometry: { radius_um: -1 } }, /geometry\.radius_um: got -1; must be > 0/],
    ['NaN', { loading: { c_rates: [1, NaN] } }, /loading\.c_rates\.1: got NaN/],
    ['zero grains', { microstructure: { grains: 0 } }, /microstructure\.grains: got 0; .*≥ 1/],
    [
      'porosity ≥ 0.5',
      { porosity: { center: 0.6, surface: 0.1 } },
      /porosity\.center: got 0\.6; porosity must be in \[0, 0\.5\)/,
    ],
    [
      'coating ≥ R',
      { coating: { thickness_um: 6 } },
      /coating\.thickness_um: got 6; must be > 0 and < geometry\.radius_um \(5\)/,
    ],
    [
      'unknown preset',
      { material: 'nmc99' },
      /material: got "nmc99"; allowed: "nmc90-bare" \| "nmc90-mf" \| "nmc811" \| "nmc811-mf" \| "mf-coating"/,
    ],
    [
      'bad orientation',
      { microstructure: { orientation: 'foo' } },
      /microstructure\.orientation: got "foo"; allowed: "random-3d" \| "random" \| "radial", or an object with keys/,
    ],
    ['both ends', { loading: { to_soc: 1, duration_s: 100 } }, /either to_soc or duration_s/],
    [
      'non-ascending lattice table',
      { material: { preset: 'nmc90-bare', lattice_strain: { x: [0.5, 0.2], a: [0, 0], c: [0, 0] } } },
      /strictly ascending/,
    ],
    ['huge mesh size', { geometry: { mesh_size_um: 4 } }, /geometry\.mesh_size_um: got 4; must be ≤ radius_um \/ 2/],
    [
      'IMPL-EX mean tolerance neither a number nor "auto"',
      { solver: { implex_mean_tolerance: 'fast' } },
      /solver\.implex_mean_tolerance: got "fast"; allowed: .*"auto"/,
    ],
    [
      'IMPL-EX mean tolerance ≤ 0',
      { solver: { implex_mean_tolerance: 0 } },
      /solver\.implex_mean_tolerance: got 0; must be > 0/,
    ],
  ];
  for (const [name, config, pattern] of cases) {
    it(name, () => {
      expect(errorOf(config).message).toMatch(pattern);
    });
  }
});

describe('JSON Schema', () => {
  it('schema/config.schema.json is up to date with the zod schema (npm run schema)', async () => {
    const { configJsonSchema } = await import('../../src/scenario/json-schema.js');
    expect(JSON.parse(readFileSync('schema/config.schema.json', 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(configJsonSchema())),
    );
  });

  it('docs/config.md is up to date with the zod schema (npm run schema)', async () => {
    const { configReferenceMarkdown } = await import('../../src/scenario/config-reference.js');
    expect(readFileSync('docs/config.md', 'utf8')).toBe(configReferenceMarkdown());
  });

  it('docs/config.md documents every key with a description', async () => {
    const { configReferenceRows } = await import('../../src/scenario/config-reference.js');
    const rows = configReferenceRows();
    expect(rows.length).toBeGreaterThan(70);
    expect(rows.filter((r) => r.description === '').map((r) => r.key)).toEqual([]);
  });
});
