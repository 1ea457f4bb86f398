/**
 * A small real sweep on the piscina pool (2 workers, the real engine, one WASM kernel per worker reused across
 * cases): run directories, tables, determinism against an in-process run, and a clean stop + resume.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandCases, parseSweepSpec, type SweepSpecInput } from '../../src/sweep/spec.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { readResults } from '../../src/sweep/sweep-directory.js';
import { runCase } from '../../src/sweep/case-runner.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'chemofrac-sweep-e2e-'));

/** Tiny cases: 8 grains, coarse mesh, a short charge at 1C (a few seconds each). */
const SPEC: SweepSpecInput = {
  name: 'e2e',
  base: {
    geometry: { shape: 'quarter', radius_um: 5, mesh_size_um: 0.25 },
    microstructure: { grains: 8 },
    material: 'nmc90-bare',
    loading: { c_rates: 1, to_soc: 0.04 },
    output: { vtu: false, snapshots_soc: [] },
  },
  axes: { grid: { 'material.gb.strength_MPa': [120, 400] } },
  replicates: { count: 2, seed_start: 3 },
};

/** Parse a CSV line (quoted cells may hold commas and doubled quotes). */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function rows(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const cols = splitCsv(head);
  return lines.map((l) => Object.fromEntries(splitCsv(l).map((v, i) => [cols[i], v])));
}

describe('sweep end to end (worker pool, real engine)', () => {
  it('runs 4 cases on 2 workers into run directories and tables', async () => {
    const spec = parseSweepSpec(SPEC);
    const out = tmp();
    const r = await runSweep(spec, { out, workers: 2, quiet: true });
    expect(r.completed).toBe(4);
    expect(r.failed).toBe(0);
    const table = rows(join(out, 'sweep.csv'));
    expect(table).toHaveLength(4);
    for (const row of table) {
      expect(row.status).toBe('completed');
      expect(row.end_reason).toBe('to_soc');
      expect(Number(row.soc_end)).toBeCloseTo(0.04, 6);
      expect(Number(row.steps)).toBeGreaterThan(1);
      expect(Number.isFinite(Number(row.damage_mean_end))).toBe(true);
      expect(['intact', 'mildly-damaged', 'broken']).toContain(row.particle_class);
      expect(row.soc_055).toBe(''); // the run ends before SoC 0.55
      const summary = JSON.parse(readFileSync(join(out, row.run_dir, 'summary.json'), 'utf8'));
      expect(summary.status).toBe('completed');
      expect(existsSync(join(out, row.run_dir, 'history.csv'))).toBe(true);
    }
    expect(table.map((x) => x.seed)).toEqual(['3', '4', '3', '4']);
    const ens = rows(join(out, 'ensemble.csv'));
    expect(ens).toHaveLength(2);
    expect(ens.map((e) => e['material.gb.strength_MPa'])).toEqual(['120', '400']);
    for (const e of ens) {
      expect(e.completed).toBe('2');
      expect(Number(e.intact) + Number(e.mildly_damaged) + Number(e.broken)).toBe(2);
    }
    // a weaker boundary never damages less, replicate by replicate
    expect(Number(table[0].damage_mean_end)).toBeGreaterThanOrEqual(Number(table[2].damage_mean_end));

    // the pool worker (reused kernel) gives exactly what an in-process run with a fresh kernel gives
    const c = expandCases(spec)[3];
    const alone = await runCase({ hash: c.hash, index: c.index, config: c.config, dir: join(tmp(), 'alone') });
    const pooled = readResults(out).get(c.hash)!.result;
    expect(pooled.end).toEqual(JSON.parse(JSON.stringify(alone.end))); // stored as JSON: NaN (no coating) → null
    expect(pooled.steps).toBe(alone.steps);
  });

  it('records a failing case with its error; the same worker then runs the next case on a fresh kernel', async () => {
    const spec = parseSweepSpec({
      ...SPEC,
      name: 'e2e-fail',
      axes: {
        // case 0: the implicit scheme with one damage-secant iteration, no cut-backs, 5 MPa boundaries: the first
        // step cannot converge
        zip: {
          solver: [{ scheme: 'implicit', max_iterations: 1, max_cutbacks: 0, tolerance: 1e-12 }, {}],
          'material.gb.strength_MPa': [5, 400],
        },
      },
      replicates: undefined,
    });
    const out = tmp();
    const r = await runSweep(spec, { out, workers: 1, quiet: true });
    expect(r.failed).toBe(1);
    expect(r.completed).toBe(1);
    const [bad, good] = rows(join(out, 'sweep.csv'));
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/SimulationError: The mechanics .* did not converge/);
    expect(JSON.parse(readFileSync(join(out, bad.run_dir, 'summary.json'), 'utf8')).status).toBe('failed');
    expect(good.status).toBe('completed');
    expect(good.end_reason).toBe('to_soc');
  });

  it('stops cleanly on abort and resumes to the same tables', async () => {
    const spec = parseSweepSpec(SPEC);
    const full = tmp();
    await runSweep(spec, { out: full, workers: 2, quiet: true });
    const out = tmp();
    const controller = new AbortController();
    // Ctrl-C as soon as the first case has finished: the case running on the other worker stops after its current
    // step (and is not recorded), the last two never start.
    const first = await runSweep(spec, {
      out,
      workers: 2,
      quiet: true,
      signal: controller.signal,
      onCase: () => controller.abort(),
    });
    expect(first.interrupted).toBe(true);
    expect(first.completed).toBeGreaterThanOrEqual(1);
    expect(first.notRun).toBeGreaterThanOrEqual(2);
    expect(first.completed + first.notRun).toBe(4);
    expect(readResults(out).size).toBe(first.completed);
    const second = await runSweep(spec, { out, workers: 2, quiet: true, resume: true });
    expect(second.skipped).toBe(first.completed);
    expect(second.completed).toBe(4 - first.completed);
    const strip = (p: string) =>
      readFileSync(p, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => l.slice(0, l.lastIndexOf(',')));
    expect(strip(join(out, 'sweep.csv'))).toEqual(strip(join(full, 'sweep.csv')));
    expect(readFileSync(join(out, 'ensemble.csv'), 'utf8')).toEqual(readFileSync(join(full, 'ensemble.csv'), 'utf8'));
  });
});
