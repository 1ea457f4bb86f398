/**
 * The browser app's parts that run without a browser: the worker API (`createEngineApi`, the same object the
 * module worker exposes through comlink), the page's run store (snapshots, decimation, SoC lookup) and the VTU
 * export (the CLI's own snapshot builder, `snapshotVtuText`). Fast; runs where Chromium is not available too.
 */
import { describe, expect, it } from 'vitest';
import { referenceConfig, snapshotVtuText } from '../../src/index.js';
import { createEngineApi } from '../../src/worker/engine-worker.js';
import { RunState, SNAPSHOT_BUDGET_BYTES } from '../../web/src/run-state.js';
import { colormapLut } from '../../web/src/colormap.js';

const tiny = referenceConfig('bare', 3, {
  geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.25 },
  microstructure: { grains: 8, seed: 3 },
  loading: { c_rates: 1, to_soc: 0.01 },
});

describe('engine worker API (in-thread)', () => {
  it('creates a run, steps it in batches with field snapshots, and cancels', async () => {
    const api = createEngineApi();
    const res = await api.create(tiny);
    if (!res.ok) throw new Error(res.message);
    const m = res.mesh;
    expect(m.triNodes.length).toBe(3 * m.triCount);
    expect(m.coords_um.length).toBe(2 * m.nodeCount);
    expect(m.interfaceNodes.length).toBe(4 * m.interfaceCount);
    expect(res.initial.step).toBe(0);
    expect(res.fields.x.length).toBe(m.nodeCount);
    expect(res.fields.stress_MPa.length).toBe(4 * m.triCount);
    expect(res.fields.damage.length).toBe(m.interfaceCount);

    const b = api.runSteps(2);
    expect(b.error).toBeNull();
    expect(b.records.length).toBeGreaterThan(0);
    expect(b.records.length).toBeLessThanOrEqual(2);
    expect(b.fields?.step).toBe(b.records[b.records.length - 1].step);

    api.cancel();
    const c = api.runSteps(5);
    expect(c.cancelled).toBe(true);
    expect(c.records.length).toBe(0);
    expect(api.fields()?.x.length).toBe(m.nodeCount);

    // run a fresh one to its end; snapshots have the mesh's sizes and the store keeps them in SoC order
    const again = await api.create(tiny);
    if (!again.ok) throw new Error(again.message);
    const run = new RunState('A', 'tiny');
    run.reset('tiny', tiny);
    run.init(again.mesh, again.config, again.initial, { ...again.fields, time_s: 0 } as never, again.setup_ms);
    run.begin();
    for (let k = 0; k < 2000 && run.active; k++) {
      const b = api.runSteps(1e9, { maxMs: 50 });
      const t = b.records.at(-1)?.time_s ?? 0;
      const steps = run.history.length - 1 + b.records.length;
      run.addBatch(
        b.records,
        b.fields ? ({ ...b.fields, time_s: t } as never) : null,
        b.done ? 'done' : 'running',
        b.endReason,
        b.error?.message ?? null,
        { steps, step_ms: b.step_ms, active_ms: b.step_ms },
      );
    }
    expect(run.status).toBe('done');
    expect(run.lastSoc).toBeGreaterThanOrEqual(0.01 - 1e-9);
    expect(run.snapshotAtSoc(0)?.step).toBe(0);
    expect(run.snapshotAtSoc(1)?.step).toBe(run.history[run.history.length - 1].step);

    // VTU of the last step: well-formed counts
    const s = run.snapshotAtSoc(1)!;
    const { fields: vtu, interfaces: ivtu } = snapshotVtuText(again.mesh, s);
    expect(vtu).toContain(`NumberOfPoints="${m.nodeCount}" NumberOfCells="${m.triCount}"`);
    for (const name of [
      'x',
      'displacement',
      'grain',
      'region',
      'orientation_rad',
      'stress_xx_MPa',
      'stress_yy_MPa',
      'stress_xy_MPa',
      'stress_zz_MPa',
      'max_principal_MPa',
      'c_axis',
    ])
      expect(vtu).toContain(`Name="${name}"`);
    expect(ivtu).toContain(`NumberOfCells="${m.interfaceCount}"`);
    for (const name of ['damage', 'opening_nm', 'grain_a', 'grain_b']) expect(ivtu).toContain(`Name="${name}"`);
  });

  it('returns config errors as data, with the key of each issue', async () => {
    const api = createEngineApi();
    const res = await api.create({ microstructure: { grains: -3 }, geometry: { mesh_size_um: 'fine' } });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.kind).toBe('config');
    const keys = res.issues.map((i) => i.key);
    expect(keys).toContain('microstructure.grains');
    expect(keys).toContain('geometry.mesh_size_um');
  });
});

describe('run store and colour maps', () => {
  it('thins snapshots out past the memory budget, keeping the first and the last', () => {
    const run = new RunState('A', 'synthetic');
    run.reset('synthetic', {});
    const n = 200_000; // nodes: 200k × 4 B (x) + 400k × 4 B (displacement) per snapshot
    const fields = (step: number) => ({
      step,
      soc: step / 1000,
      time_s: step,
      x: new Float32Array(n),
      displacement_um: new Float32Array(2 * n),
      damage: new Float32Array(10),
      opening_nm: new Float32Array(10),
      stress_MPa: new Float32Array(40),
    });
    const rec = (step: number) => ({ step, soc: step / 1000 }) as never;
    run.init({} as never, { loading: { direction: 'charge' } } as never, rec(0), fields(0), 0);
    run.begin();
    for (let k = 1; k <= 120; k++)
      run.addBatch([rec(k)], fields(k), 'running', null, null, { steps: k, step_ms: k, active_ms: k });
    const bytes = run.snapshots.length * 12 * n;
    expect(bytes).toBeLessThanOrEqual(SNAPSHOT_BUDGET_BYTES + 12 * n);
    expect(run.snapshots[0].step).toBe(0);
    expect(run.snapshots[run.snapshots.length - 1].step).toBe(120);
    expect(run.decimation).toBeGreaterThan(1);
    expect(run.snapshotAtSoc(0.0605)!.step).toBeLessThanOrEqual(60);
  });

  it('viridis and cividis LUTs run dark to light', () => {
    for (const name of ['viridis', 'cividis'] as const) {
      const lut = colormapLut(name);
      expect(lut.length).toBe(256 * 4);
      const lum = (i: number) => 0.2126 * lut[4 * i] + 0.7152 * lut[4 * i + 1] + 0.0722 * lut[4 * i + 2];
      for (let i = 8; i < 256; i += 8) expect(lum(i)).toBeGreaterThan(lum(i - 8));
    }
  });
});

describe('run store: discharge lookup', () => {
  it('on a discharge a position shows the last snapshot whose SoC has fallen to it (not step 0)', () => {
    const run = new RunState('A', 'discharge');
    run.reset('discharge', {});
    const snap = (step: number, soc: number) => ({
      step,
      soc,
      time_s: step,
      x: new Float32Array(1),
      displacement_um: new Float32Array(2),
      damage: new Float32Array(1),
      opening_nm: new Float32Array(1),
      stress_MPa: new Float32Array(4),
    });
    const rec = (step: number, soc: number) => ({ step, soc, time_s: step }) as never;
    run.init({} as never, { loading: { direction: 'discharge' } } as never, rec(0, 1), snap(0, 1), 0);
    run.begin();
    // SoC falls 1 → 0.5 in 50 steps
    for (let k = 1; k <= 50; k++)
      run.addBatch([rec(k, 1 - k / 100)], snap(k, 1 - k / 100), 'running', null, null, {
        steps: k,
        step_ms: k,
        active_ms: k,
      });
    expect(run.direction).toBe(-1);
    for (const soc of [0.9, 0.75, 0.6, 0.5]) {
      const s = run.snapshotAtSoc(soc)!;
      expect(s.step).toBe(Math.round((1 - soc) * 100));
      expect(s.soc).toBeGreaterThanOrEqual(soc - 1e-9);
    }
    expect(run.snapshotAtSoc(1)!.step).toBe(0);
    expect(run.snapshotAtTime(20.5)!.step).toBe(20);
  });
});
