/**
 * `chemofrac run` end to end on a small particle: the run directory of docs/outputs.md, incremental outputs, a
 * failing run that keeps what it computed, and user errors as one-paragraph messages with exit code 1.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToDirectory } from '../../src/cli/run.js';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { HISTORY_COLUMNS } from '../../src/engine/simulation.js';

const small = {
  name: 'small',
  geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.2 },
  microstructure: { grains: 8, seed: 3 },
  coating: { thickness_um: 0.16 },
  material: 'nmc90-mf',
  loading: { c_rates: [1, 0.5], to_soc: 0.3 },
  output: { snapshots_soc: [0.1, 0.3] },
};

describe('chemofrac run', () => {
  it('writes summary.json, history.csv, VTU snapshots and fields.pvd', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chemofrac-run-'));
    const { sim } = await runToDirectory(resolveConfig(small), dir, { quiet: true });
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('completed');
    expect(summary.end_reason).toBe('to_soc');
    expect(summary.config.solver.tolerance).toBeGreaterThan(0); // every default filled in
    expect(summary.resolved_config.material.gb.penalty_GPa_per_um).toBeGreaterThan(0); // derived values resolved
    expect(summary.mesh.grains).toBeGreaterThan(0);
    expect(summary.mesh.porosity_by_ring.length).toBeGreaterThan(0);
    expect(summary.final.soc).toBeCloseTo(0.3, 9);
    expect(summary.final.mass_balance_error).toBeWithin(0, { abs: 1e-12 });

    const csv = readFileSync(join(dir, 'history.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(HISTORY_COLUMNS.join(','));
    expect(
      csv[0].startsWith(
        'step,time_s,soc,x_mean,x_std,damage_mean,damaged_fraction,cracked_fraction,hotspot_fraction,max_principal_MPa',
      ),
    ).toBe(true);
    expect(csv.length - 1).toBe(sim.stepCount + 1); // the initial state + every accepted step

    expect(summary.snapshots.length).toBe(2);
    const pvd = readFileSync(join(dir, 'fields.pvd'), 'utf8');
    for (const s of summary.snapshots) {
      expect(pvd).toContain(s.fields);
      const fields = readFileSync(join(dir, s.fields), 'utf8');
      for (const name of [
        '"x"',
        '"displacement"',
        '"grain"',
        '"region"',
        '"orientation_rad"',
        '"stress_xx_MPa"',
        '"stress_yy_MPa"',
        '"stress_xy_MPa"',
      ])
        expect(fields).toContain(`Name=${name}`);
      const interfaces = readFileSync(join(dir, s.interfaces), 'utf8');
      for (const name of ['"damage"', '"opening_nm"', '"grain_a"', '"grain_b"'])
        expect(interfaces).toContain(`Name=${name}`);
    }
  });

  // (the implicit scheme: the IMPL-EX default cannot fail to converge)
  it('a run that cannot converge stops with a clear error and keeps its history and last state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chemofrac-fail-'));
    const config = resolveConfig({
      ...small,
      material: 'nmc90-bare',
      coating: undefined,
      loading: { c_rates: 1, to_soc: 0.5 },
      solver: { scheme: 'implicit', max_iterations: 1, damage_lag_tolerance: 0, max_cutbacks: 1, max_dt_s: 50 },
    });
    await expect(runToDirectory(config, dir, { quiet: true })).rejects.toThrow(
      /did not converge at t = .* SoC = .*solver\.max_iterations/s,
    );
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('failed');
    expect(summary.error.name).toBe('SimulationError');
    expect(summary.steps).toBeGreaterThan(0);
    const rows = readFileSync(join(dir, 'history.csv'), 'utf8').trim().split('\n');
    expect(rows.length - 1).toBe(summary.steps + 1);
    expect(summary.snapshots.length).toBeGreaterThan(0); // the last accepted state is written
    expect(existsSync(join(dir, summary.snapshots.at(-1).fields))).toBe(true);
  });
});

describe('command-line errors', () => {
  const fileWith = (text: string) => {
    const f = join(mkdtempSync(join(tmpdir(), 'chemofrac-cfg-')), 'config.json');
    writeFileSync(f, text);
    return f;
  };
  const cli = (args: string[]) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        "import('./src/cli/main.ts').then((m) => m.main(process.argv.slice(1))).then((c) => process.exit(c))",
        '--',
        ...args,
      ],
      {
        encoding: 'utf8',
      },
    );

  it('a bad config exits 1 with one paragraph naming the key, the value and what is allowed', () => {
    const config = fileWith(JSON.stringify({ geometry: { radius_um: -5 } }));
    const r = cli(['node', 'chemofrac', 'run', config, '--out', join(tmpdir(), 'never')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/geometry\.radius_um: got -5; must be > 0/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a missing file and invalid JSON are user errors', () => {
    const missing = cli(['node', 'chemofrac', 'run', '/nonexistent/config.json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read the config file "\/nonexistent\/config.json": ENOENT/);
    const invalid = cli(['node', 'chemofrac', 'mesh', fileWith('{ "geometry": '), '--out', 'x.vtu']);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toMatch(/is not valid JSON/);
  });

  it('an unknown command exits 2 with the usage', () => {
    const r = cli(['node', 'chemofrac', 'frobnicate']);
    expect(r.status).toBe(2);
  });
});
