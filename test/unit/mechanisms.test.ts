/**
 * `chemofrac compare --mechanisms`: the variants change exactly one mechanism each, the table is the per-seed ratio
 * to the bare twin (mean and sample standard deviation), and the command runs end to end.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { MECHANISM_VARIANTS, mechanismConfig } from '../../src/scenario/mechanisms.js';
import { referenceConfig } from '../../src/scenario/reference.js';
import { summarizeMechanisms, type MechanismRun } from '../../src/cli/mechanisms.js';
import { MATERIAL_PRESETS } from '../../src/materials/presets.js';
import { meshPolycrystal } from '../../src/mesh/index.js';
import { meshSpecFromConfig } from '../../src/scenario/build.js';
import { cli, tempDir, writeJson } from '../reliability/support.js';

describe('mechanism variants', () => {
  // the reference set explicitly (the default is the sourced set, checked below)
  const r = Object.fromEntries(
    MECHANISM_VARIANTS.map((v) => [v, resolveConfig(mechanismConfig(v, 7, {}, 'reference'))]),
  );
  it('coating-transport-only = bare strains + coating; strain-only = MF strains, no coating', () => {
    expect(r['coating-transport-only'].material.lattice_strain).toEqual(MATERIAL_PRESETS['nmc90-bare'].lattice_strain);
    expect(r['coating-transport-only'].coating?.thickness_um).toBe(0.16);
    expect(r['strain-only'].material.lattice_strain).toEqual(MATERIAL_PRESETS['nmc90-mf'].lattice_strain);
    expect(r['strain-only'].coating).toBeNull();
    expect(r['mf-coated'].material.lattice_strain).toEqual(MATERIAL_PRESETS['nmc90-mf'].lattice_strain);
    expect(r['mf-coated'].coating).not.toBeNull();
  });

  it('--materials sourced swaps the grain materials for the NMC811 set in every variant and in the comparison', () => {
    const sourced = Object.fromEntries(
      MECHANISM_VARIANTS.map((v) => [v, resolveConfig(mechanismConfig(v, 7, {}, 'sourced'))]),
    );
    for (const v of ['bare', 'coating-transport-only', 'pores-free-surface', 'pores-electrolyte-filled'] as const)
      expect(sourced[v].material.lattice_strain).toEqual(MATERIAL_PRESETS['nmc811'].lattice_strain);
    for (const v of ['strain-only', 'mf-coated'] as const)
      expect(sourced[v].material.lattice_strain).toEqual(MATERIAL_PRESETS['nmc811-mf'].lattice_strain);
    expect(sourced['mf-coated'].coating).not.toBeNull();
    const coated = resolveConfig(referenceConfig('mf-coated', 7, {}, 'sourced'));
    // the sourced set is the default
    expect(resolveConfig(mechanismConfig('bare', 7)).material.name).toBe('nmc811');
    expect(resolveConfig(referenceConfig('mf-coated', 7)).material.name).toBe('nmc811-mf');
    expect(coated.material.lattice_strain).toEqual(MATERIAL_PRESETS['nmc811-mf'].lattice_strain);
    expect(resolveConfig(referenceConfig('dense-porous', 7, {}, 'sourced')).material.elasticity).toEqual(
      MATERIAL_PRESETS['nmc811'].elasticity,
    );
  });

  it('the two pore variants have the same pores and differ only in what fills them', () => {
    const a = r['pores-free-surface'];
    const b = r['pores-electrolyte-filled'];
    expect(a.microstructure.pore_fill).toBe('empty');
    expect(b.microstructure.pore_fill).toBe('electrolyte');
    expect({ ...a, name: '', microstructure: { ...a.microstructure, pore_fill: 'x' } }).toEqual({
      ...b,
      name: '',
      microstructure: { ...b.microstructure, pore_fill: 'x' },
    });
    const small = (c: typeof a) => ({ ...c, geometry: { ...c.geometry, radius_um: 2, mesh_size_um: 0.2 } });
    expect(meshPolycrystal(meshSpecFromConfig(small(a))).triNodes).toEqual(
      meshPolycrystal(meshSpecFromConfig(small(b))).triNodes,
    );
  });
});

describe('mechanism summary', () => {
  it('ratios to the bare twin of the same seed, mean and sample standard deviation', () => {
    const run = (
      variant: MechanismRun['variant'],
      seed: number,
      d055: number,
      dEnd: number,
      x: number,
      hoop = NaN,
    ) => ({
      variant,
      seed,
      damage_mean_055: d055,
      damage_mean_end: dEnd,
      x_std_055: x,
      coating_hoop_MPa_055: hoop,
      cracked_fraction_end: 0,
      status: 'completed',
    });
    const runs = [
      run('bare', 1, 0.8, 0.9, 0.1),
      run('bare', 2, 0.4, 0.6, 0.2),
      run('mf-coated', 1, 0.2, 0.45, 0.05, -10),
      run('mf-coated', 2, 0.2, 0.3, 0.2, -20),
    ];
    const s = summarizeMechanisms(runs).find((x) => x.variant === 'mf-coated')!;
    // D̄@0.55 ratios 0.25 and 0.5: mean 0.375, sample std |0.5 − 0.25| / √2
    expect(s.damage_ratio_055_mean).toBeCloseTo(0.375, 14);
    expect(s.damage_ratio_055_std).toBeCloseTo(0.25 / Math.SQRT2, 14);
    expect(s.damage_ratio_end_mean).toBeCloseTo(0.5, 14);
    expect(s.x_std_ratio_055_mean).toBeCloseTo(0.75, 14);
    expect(s.coating_hoop_MPa_055_mean).toBeCloseTo(-15, 14);
    expect(s.runs).toBe(2);
  });
});

describe('chemofrac compare --mechanisms', () => {
  it('runs the six variants on two microstructures and writes the tables', () => {
    const base = writeJson({
      geometry: { shape: 'quarter', radius_um: 1.5, mesh_size_um: 0.15 },
      microstructure: { grains: 10 },
      loading: { to_soc: 0.3 },
      output: { vtu: false },
    });
    const out = join(tempDir(), 'mech');
    const r = cli(['compare', '--mechanisms', '--base', base, '--seeds', '1,2', '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/strain-only/);
    const rows = readFileSync(join(out, 'mechanisms.csv'), 'utf8').trim().split('\n');
    expect(rows.length - 1).toBe(12);
    expect(existsSync(join(out, 'mechanisms-summary.csv'))).toBe(true);
    const bad = cli(['compare', '--mechanisms', '--base', writeJson({ material: 'nmc90-mf' }), '--out', out]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--base: .* sets "material"/);
  });
});
