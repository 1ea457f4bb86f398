/**
 * Synthesis config errors name the key; the example configs run through the CLI into a complete run directory;
 * the Li mass balance holds every step.
 */
import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SynthesisConfigError, parseSynthesisConfig } from '../../src/synthesis/config.js';
import { InputError } from '../../src/errors.js';
import { buildSynthesisMesh } from '../../src/synthesis/mesh.js';
import { SynthesisModel } from '../../src/synthesis/model.js';
import { main } from '../../src/cli/main.js';

function errorOf(input: unknown): SynthesisConfigError {
  try {
    parseSynthesisConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(SynthesisConfigError);
    expect(e).toBeInstanceOf(InputError);
    return e as SynthesisConfigError;
  }
  throw new Error('expected a SynthesisConfigError');
}

const program = { start_C: 25, steps: [{ ramp_C_per_min: 5, to_C: 300 }] };

describe('synthesis config errors', () => {
  it('a negative rate names the key', () => {
    const e = errorOf({ synthesis: { temperature_program: program, rates: { k_L_per_s: -1 } } });
    expect(e.issues[0].key).toBe('synthesis.rates.k_L_per_s');
    expect(e.message).toMatch(/synthesis\.rates\.k_L_per_s: got -1; must be ≥ 0/);
  });
  it('a ramp to the temperature it starts from goes nowhere', () => {
    const e = errorOf({
      synthesis: {
        temperature_program: {
          start_C: 25,
          steps: [
            { ramp_C_per_min: 5, to_C: 200 },
            { ramp_C_per_min: 5, to_C: 200 },
          ],
        },
      },
    });
    expect(e.issues[0].key).toBe('synthesis.temperature_program.steps[1].to_C');
  });
  it('an empty program, a zero hold, a zero ramp rate', () => {
    expect(errorOf({ synthesis: { temperature_program: { steps: [] } } }).issues[0].key).toBe(
      'synthesis.temperature_program.steps',
    );
    expect(errorOf({ synthesis: { temperature_program: { steps: [{ hold_min: 0 }] } } }).issues[0].key).toBe(
      'synthesis.temperature_program.steps[0].hold_min',
    );
    expect(
      errorOf({ synthesis: { temperature_program: { steps: [{ ramp_C_per_min: 0, to_C: 300 }] } } }).issues[0].key,
    ).toBe('synthesis.temperature_program.steps[0].ramp_C_per_min');
  });
  it('unknown keys, a missing program, an unknown preset, a wrong coating', () => {
    expect(errorOf({ synthesis: { temperature_program: program, rates: { k_X_per_s: 1 } } }).issues[0]).toEqual({
      key: 'synthesis.rates.k_X_per_s',
      message: 'unknown key',
    });
    expect(errorOf({ synthesis: { temperature_program: program }, loading: {} }).issues[0].key).toBe('loading');
    expect(errorOf({ synthesis: {} }).issues[0].key).toBe('synthesis.temperature_program');
    expect(errorOf({ synthesis: { preset: 'ncm811' } }).issues[0].key).toBe('synthesis.preset');
    expect(
      errorOf({ synthesis: { preset: 'ncm90-bare', coating: { kind: 'Al2O3', ald_cycles: 5 } } }).issues[0].key,
    ).toBe('synthesis.coating.kind');
  });
  it('a preset with overrides', () => {
    const c = parseSynthesisConfig({ synthesis: { preset: 'ncm90-wo3-ald', coating: { ald_cycles: 50 } } });
    expect(c.synthesis.coating).toEqual({ kind: 'WO3-ALD', ald_cycles: 50 });
    expect(c.synthesis.temperature_program.steps.length).toBe(2);
  });
});

describe('Li mass balance', () => {
  it('supplied through the surface = in solution + bound in layered oxide, every step, to round-off', () => {
    for (const preset of ['ncm90-bare', 'ncm90-wo3-ald']) {
      const config = parseSynthesisConfig({
        geometry: { radius_um: 2, mesh_size_um: 0.2 },
        microstructure: { grains: 12, seed: 4 },
        synthesis: {
          preset,
          temperature_program: { start_C: 150, steps: [{ ramp_C_per_min: 10, to_C: 450 }, { hold_min: 10 }] },
        },
      });
      const m = new SynthesisModel(buildSynthesisMesh(config), config.synthesis);
      m.run();
      expect(m.stepCount).toBeGreaterThan(20);
      for (const r of m.history) {
        expect(Math.abs(r.li_supplied - r.li_solution - r.li_bound)).toBeLessThanOrEqual(
          1e-12 * r.li_supplied + 1e-300,
        );
        expect(r.lithiated_fraction + r.rock_salt_fraction + r.precursor_fraction).toBeCloseTo(1, 12);
      }
      const last = m.history[m.history.length - 1];
      expect(last.lithiated_fraction).toBeGreaterThan(0.1); // something happened
      expect(last.li_bound).toBeGreaterThan(last.li_solution);
    }
  });
});

describe('chemofrac synthesize', () => {
  const run = async (args: string[]) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const code = await main(['node', 'chemofrac', 'synthesize', ...args, '--quiet']);
      return { code, out: log.mock.calls.flat().join('\n'), err: err.mock.calls.flat().join('\n') };
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  };

  for (const example of readdirSync('examples').filter((f) => f.startsWith('synthesis-') && f.endsWith('.json'))) {
    it(`runs ${example} into a complete run directory`, async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'chemofrac-synth-')), 'out');
      const { code, out } = await run([join('examples', example), '--out', dir]);
      expect(code).toBe(0);
      expect(out).toMatch(/Li balance error/);
      for (const f of ['summary.json', 'history.csv', 'profiles.csv', 'microstructure.json', 'fields_0000.vtu'])
        expect(existsSync(join(dir, f))).toBe(true);
      const header = readFileSync(join(dir, 'history.csv'), 'utf8').split('\n')[0].split(',');
      for (const col of [
        'time_s',
        'T_C',
        'lithiated_fraction',
        'rock_salt_fraction',
        'void_fraction',
        'lithiation_std',
        'open_boundary_fraction',
      ])
        expect(header).toContain(col);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summary.status).toBe('completed');
      expect(summary.mass_balance.max_relative_error).toBeLessThan(1e-11);
      expect(summary.rings.length).toBe(5);
      const micro = JSON.parse(readFileSync(join(dir, 'microstructure.json'), 'utf8'));
      expect(micro.grains.length).toBe(summary.mesh.grainCount);
      expect(micro.mesh.hash_sha256).toBe(summary.mesh.hash_sha256);
      const vtu = readFileSync(join(dir, summary.snapshots[summary.snapshots.length - 1].file), 'utf8');
      for (const name of ['lithiated', 'rock_salt', 'void']) expect(vtu).toContain(`Name="${name}"`);
      // An existing run is refused without --force.
      const again = await run([join('examples', example), '--out', dir]);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/already holds a run/);
    });
  }

  it('a bad config is one paragraph naming the key, exit code 1', async () => {
    const { code, err } = await run(['test/synthesis/bad-negative-rate.json', '--out', join(tmpdir(), 'never')]);
    expect(code).toBe(1);
    expect(err).toMatch(/synthesis\.rates\.k_D_per_s/);
    expect(err).not.toMatch(/at .*\.ts:\d+/);
  });
});
