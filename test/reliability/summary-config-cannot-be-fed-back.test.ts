/**
 * Defect 7: the resolved config in summary.json could not be fed back to `chemofrac run` (both grains and
 * mean_grain_diameter_um, coating: null, porosity: null, material.name). Now summary.json's `config` is a valid
 * config that resolves to the same resolved config (also stored, as `resolved_config`), and running it reproduces
 * the identical history.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { toInputConfig } from '../../src/scenario/input-config.js';
import { runToDirectory } from '../../src/cli/run.js';
import { cli, SMALL_RUN, tempDir, writeJson } from './support.js';

const variants: Record<string, unknown> = {
  bare: SMALL_RUN,
  'coated with a cohesive interface': {
    ...SMALL_RUN,
    coating: { thickness_um: 0.2, interface: { strength_MPa: 300, Gc_J_m2: 3 } },
    material: 'nmc90-mf',
  },
  'gradient porosity, mean diameter': {
    ...SMALL_RUN,
    microstructure: { mean_grain_diameter_um: 0.6, seed: 9, orientation: { fixed_deg: 30 } },
    porosity: 'gradient',
  },
  'material overrides, discharge, full disk': {
    geometry: { shape: 'full', radius_um: 1.5, mesh_size_um: 0.15 },
    material: { preset: 'nmc90-bare', D_ab_m2_s: 2e-14, gb: { strength_MPa: 250 } },
    loading: { direction: 'discharge', initial_soc: 0.5, duration_s: 100, c_rates: 2 },
    solver: { crack_blocks_diffusion: true, plane: 'stress' },
  },
  'perfectly bonded': { ...SMALL_RUN, material: { preset: 'nmc90-bare', gb: { enabled: false } } },
};

describe("summary.json's config is a config", () => {
  for (const [what, config] of Object.entries(variants))
    it(`${what}: resolving toInputConfig(resolved) gives the resolved config back`, () => {
      const resolved = resolveConfig(config);
      expect(resolveConfig(toInputConfig(resolved))).toEqual(resolved);
    });

  it('feeding summary.json config back to chemofrac run reproduces the identical history', async () => {
    const first = join(tempDir(), 'first');
    await runToDirectory(resolveConfig(SMALL_RUN), first, { quiet: true });
    const summary = JSON.parse(readFileSync(join(first, 'summary.json'), 'utf8'));
    expect(summary.resolved_config.microstructure.mean_grain_diameter_um).toBeGreaterThan(0);
    const again = join(tempDir(), 'again');
    const r = cli(['run', writeJson(summary.config), '--out', again, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(again, 'history.csv'), 'utf8')).toBe(readFileSync(join(first, 'history.csv'), 'utf8'));
  });
});
