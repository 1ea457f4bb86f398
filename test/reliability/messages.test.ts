/**
 * Defect 8, the messages: `max_cutbacks: 0` reported "after 1 step cut-backs"; "a number, or a array"; the
 * porosity error repeated itself; the memory guard suggested "raise maxElements" (not a config key); control
 * characters in a run name reached the terminal raw; a UTF-8 byte-order mark was rejected.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { Simulation, SimulationError } from '../../src/engine/simulation.js';
import { meshPolycrystal } from '../../src/mesh/index.js';
import { meshSpecFromConfig } from '../../src/scenario/build.js';
import { printable } from '../../src/io/progress.js';
import { cli, SMALL_RUN, tempDir, writeJson } from './support.js';

describe('messages', () => {
  it('max_cutbacks = 0: the failure says 0 cut-backs were made', async () => {
    const sim = await Simulation.create({
      ...SMALL_RUN,
      loading: { c_rates: 1, to_soc: 0.5 },
      solver: { scheme: 'implicit', max_iterations: 1, damage_lag_tolerance: 0, max_cutbacks: 0, max_dt_s: 50 },
    });
    let error: unknown = null;
    try {
      while (!sim.done) sim.step();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationError);
    expect((error as Error).message).toMatch(/after 0 step cut-backs \(solver\.max_cutbacks = 0;/);
  });

  it('"an array", not "a array"', () => {
    expect(() => resolveConfig({ loading: { c_rates: 'fast' } })).toThrow(/allowed: a number, or an array/);
  });

  it('the porosity alternatives are listed once each', () => {
    let message = '';
    try {
      resolveConfig({ porosity: 'foamy' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/porosity: got "foamy"; allowed: "gradient" \| "dense"/);
    const objectMentions = message.match(/an object with keys/g) ?? [];
    expect(objectMentions.length).toBe(1);
  });

  it('the mesh size guard names config keys, not the internal maxElements', () => {
    const config = resolveConfig({ geometry: { radius_um: 200, mesh_size_um: 0.02 }, microstructure: { grains: 10 } });
    expect(() => meshPolycrystal(meshSpecFromConfig(config))).toThrow(
      /increase geometry\.mesh_size_um or reduce geometry\.radius_um/,
    );
    expect(() => meshPolycrystal(meshSpecFromConfig(config))).not.toThrow(/raise maxElements/);
  });

  it('control characters of a run name are escaped before they reach a terminal', () => {
    expect(printable('a\u001b[2Jb\u0007c\n')).toBe('a\\u001b[2Jb\\u0007c\\u000a');
    const out = join(tempDir(), 'run');
    const r = cli(['run', writeJson({ ...SMALL_RUN, name: 'evil\u001b[2J' }), '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('\u001b');
    expect(r.stdout).toContain('evil\\u001b[2J');
  });

  it('a config file with a UTF-8 byte-order mark is read', () => {
    const out = join(tempDir(), 'run');
    const r = cli(['run', writeJson('\ufeff' + JSON.stringify(SMALL_RUN)), '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
  });
});
