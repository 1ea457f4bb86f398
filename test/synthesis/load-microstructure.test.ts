/** microstructure.json read back: accepted on its own mesh, refused (naming the key) on another mesh or version. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynthesisToDirectory } from '../../src/synthesis/run.js';
import { loadSynthesizedMicrostructure } from '../../src/synthesis/load-microstructure.js';
import { buildSynthesisMesh } from '../../src/synthesis/mesh.js';
import { parseSynthesisConfig, SynthesisConfigError } from '../../src/synthesis/config.js';

const small = (seed: number) => ({
  geometry: { radius_um: 2, mesh_size_um: 0.25 },
  microstructure: { grains: 8, seed },
  synthesis: {
    preset: 'ncm90-bare',
    temperature_program: { start_C: 250, steps: [{ ramp_C_per_min: 20, to_C: 400 }] },
  },
});

describe('loading microstructure.json', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'chemofrac-synth-load-')), 'run');
  const { model } = await runSynthesisToDirectory(small(5), dir);
  const file = join(dir, 'microstructure.json');

  it('is accepted on the mesh it was computed on, with per-grain fractions and merged groups', () => {
    const m = loadSynthesizedMicrostructure(file, model.mesh);
    expect(m.grains.length).toBe(model.mesh.grainCount);
    for (const g of m.grains) {
      expect(g.lithiated + g.rock_salt).toBeGreaterThan(0.99);
      expect(g.lithiated + g.rock_salt).toBeLessThanOrEqual(1 + 1e-12);
    }
    const again = buildSynthesisMesh(
      parseSynthesisConfig({
        geometry: m.mesh.geometry,
        microstructure: m.mesh.microstructure,
        synthesis: small(5).synthesis,
      }),
    );
    expect(() => loadSynthesizedMicrostructure(file, again)).not.toThrow();
  });

  it('another mesh, another engine version, not a microstructure file: errors naming the key', () => {
    const other = buildSynthesisMesh(parseSynthesisConfig(small(6)));
    expect(() => loadSynthesizedMicrostructure(file, other)).toThrow(SynthesisConfigError);
    expect(() => loadSynthesizedMicrostructure(file, other)).toThrow(/microstructure\.from_synthesis: .*another mesh/);
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), engine_version: '0.0.1' }));
    expect(() => loadSynthesizedMicrostructure(old)).toThrow(/microstructure\.from_synthesis: .*chemofrac 0\.0\.1/);
    expect(() => loadSynthesizedMicrostructure(join(dir, 'summary.json'))).toThrow(/not a synthesized microstructure/);
    expect(() => loadSynthesizedMicrostructure(join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });
});

describe('an interrupted synthesis', () => {
  it('stops after the current step, writes what it computed and says "interrupted"', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'chemofrac-synth-stop-')), 'run');
    const controller = new AbortController();
    const r = await runSynthesisToDirectory(small(5), dir, {
      signal: controller.signal,
      onStep: (m) => {
        if (m.stepCount === 20) controller.abort();
      },
    });
    expect(r.status).toBe('interrupted');
    expect(r.model.stepCount).toBe(20);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('interrupted');
    const rows = readFileSync(join(dir, 'history.csv'), 'utf8').trim().split('\n');
    expect(rows.length - 1).toBe(r.model.history.length);
    expect(existsSync(join(dir, 'microstructure.json'))).toBe(false); // only a completed run has one
  });
});
