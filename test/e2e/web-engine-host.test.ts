/**
 * The browser app's engine worker logic (web/src/engine-worker.ts, `createEngineHost`), driven in Node with the
 * same messages the page sends: the history it produces is the CLI's (`Simulation` on the resolved config, as
 * `chemofrac run` steps it) record for record, to the bit; a pause stops the stepping and keeps the state, and a
 * resumed run ends with the same history as an uninterrupted one; the counters the status line reports are the
 * worker's own.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CYCLE_COLUMNS,
  HISTORY_COLUMNS,
  Simulation,
  referenceConfig,
  resolveConfig,
  type CycleRecord,
  type StepRecord,
} from '../../src/index.js';
import { createEngineHost } from '../../web/src/engine-worker.js';
import type { WorkerIn, WorkerOut } from '../../web/src/worker-protocol.js';

/** Small configs on three seeds (one coated, one porous): a few dozen steps each. */
const CONFIGS = [
  referenceConfig('bare', 3, {
    geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.25 },
    microstructure: { grains: 8, seed: 3 },
    loading: { c_rates: [1, 0.5], to_soc: 0.05 },
    output: { snapshots_soc: [0.02] },
  }),
  referenceConfig('mf-coated', 11, {
    geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.25 },
    microstructure: { grains: 10, seed: 11 },
    loading: { c_rates: 1, to_soc: 0.04 },
  }),
  referenceConfig('gradient-porous', 5, {
    geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.25 },
    microstructure: { grains: 12, seed: 5 },
    loading: { c_rates: [1, 0.1], to_soc: 0.04 },
  }),
];

/** A host with its outbox; `until(pred)` waits for a message. */
function host() {
  const out: WorkerOut[] = [];
  const waiters: { pred: (m: WorkerOut) => boolean; ok: (m: WorkerOut) => void }[] = [];
  const send = createEngineHost((m) => {
    out.push(m);
    for (const w of [...waiters])
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.ok(m);
      }
  });
  const until = (pred: (m: WorkerOut) => boolean, timeout_ms = 60_000) =>
    new Promise<WorkerOut>((ok, fail) => {
      const hit = out.find(pred);
      if (hit) return ok(hit);
      const t = setTimeout(() => fail(new Error('no such message from the engine host')), timeout_ms);
      waiters.push({
        pred,
        ok: (m) => {
          clearTimeout(t);
          ok(m);
        },
      });
    });
  return { out, send: (m: WorkerIn) => send(m), until };
}

const ended = (m: WorkerOut) => m.type === 'batch' && ['done', 'error', 'cancelled'].includes(m.state);

function recordsOf(out: WorkerOut[]): StepRecord[] {
  const created = out.find((m) => m.type === 'created');
  if (!created || created.type !== 'created' || !created.ok) throw new Error('not created');
  return [created.initial, ...out.flatMap((m) => (m.type === 'batch' ? m.records : []))];
}

/** The CLI's path: resolve the config, then `Simulation.create` and step to the end. */
async function cliHistory(config: unknown): Promise<StepRecord[]> {
  const sim = await Simulation.create(resolveConfig(config));
  await sim.run();
  return sim.history;
}

describe('browser engine worker vs the CLI', () => {
  it('gives the CLI history record for record (same steps, same numbers) on three configs', async () => {
    for (const config of CONFIGS) {
      const h = host();
      h.send({ type: 'create', id: 1, config });
      const created = await h.until((m) => m.type === 'created');
      expect(created.type === 'created' && created.ok).toBe(true);
      h.send({ type: 'run', id: 1 });
      const last = await h.until(ended);
      expect(last.type === 'batch' && last.state).toBe('done');
      const browser = recordsOf(h.out);
      const cli = await cliHistory(config);
      expect(browser.length).toBe(cli.length);
      expect(browser.length).toBeGreaterThan(3);
      for (let i = 0; i < cli.length; i++)
        for (const k of HISTORY_COLUMNS) expect(browser[i][k], `step ${i} ${String(k)}`).toBe(cli[i][k]);
      // the worker's counters: every step counted, time inside step() ≤ the unpaused wall time
      if (last.type !== 'batch') throw new Error('no batch');
      expect(last.counters.steps).toBe(cli.length - 1);
      expect(last.counters.step_ms).toBeLessThanOrEqual(last.counters.active_ms + 1e-6);
      // the last message carries the final fields (the page shows the end state)
      const withFields = h.out.filter((m) => m.type === 'batch' && m.fields);
      const lastFields = withFields[withFields.length - 1];
      expect(lastFields.type === 'batch' && lastFields.fields?.step).toBe(cli.length - 1);
    }
  });

  it('pause stops the stepping and keeps the state; resume ends with the uninterrupted history', async () => {
    // long enough for many slices, so fields are taken between steps too
    const config = { ...CONFIGS[0], loading: { c_rates: [1, 0.5], to_soc: 0.3 } };
    const h = host();
    h.send({ type: 'create', id: 7, config });
    await h.until((m) => m.type === 'created');
    h.send({ type: 'run', id: 7 });
    await h.until((m) => m.type === 'batch' && m.records.length > 0);
    h.send({ type: 'pause', id: 7 });
    const paused = await h.until((m) => m.type === 'batch' && m.state === 'paused');
    const stepsAtPause = recordsOf(h.out).length;
    await new Promise((r) => setTimeout(r, 300));
    expect(recordsOf(h.out).length).toBe(stepsAtPause); // nothing stepped while paused
    expect(paused.type === 'batch' && paused.fields?.step).toBe(stepsAtPause - 1);
    expect(h.out.filter((m) => m.type === 'batch' && m.fields).length).toBeGreaterThan(1);
    h.send({ type: 'resume', id: 7 });
    await h.until(ended);
    const browser = recordsOf(h.out);
    const cli = await cliHistory(config);
    expect(browser.map((r) => r.damage_mean)).toEqual(cli.map((r) => r.damage_mean));
    expect(browser.map((r) => r.soc)).toEqual(cli.map((r) => r.soc));
  });

  it("cycling: the per-cycle rows are the CLI's cycles.csv rows, with a snapshot at the end of each computed cycle", async () => {
    // examples/cycling-small.json (10 cycles) with a looser cycle-jump tolerance, so that one jump passes over
    // some cycles and the snapshot logic of jumped cycles runs. With the example's own 0.02, whether a cycle is
    // jumped depends on round-off: some interface point gains more than 0.02 (even 0.1) damage in every cycle of
    // this particle (docs/physics.md §9), and since the host's portable math (src/math/portable.ts) no cycle is
    // jumped; with 0.5 one jump passes over cycles 6 to 8 (before: cycles 8 and 9 at 0.02).
    const config = JSON.parse(readFileSync(new URL('../../examples/cycling-small.json', import.meta.url), 'utf8'));
    config.solver.cycle_jump.max_damage_increment = 0.5;
    const h = host();
    h.send({ type: 'create', id: 5, config });
    await h.until((m) => m.type === 'created');
    h.send({ type: 'run', id: 5 });
    const last = await h.until(ended);
    expect(last.type === 'batch' && last.state).toBe('done');
    const batches = h.out.flatMap((m) => (m.type === 'batch' ? [m] : []));
    const rows: CycleRecord[] = batches.flatMap((m) => m.cycles);
    // the CLI's stepping (a cycling Simulation keeps only the current cycles' history: collect every record)
    const sim = await Simulation.create(resolveConfig(config));
    const cliRecords: StepRecord[] = [sim.history[0]];
    while (!sim.done) cliRecords.push(sim.step());
    expect(rows.length).toBe(sim.cycles.length);
    expect(rows.length).toBe(10);
    for (let i = 0; i < rows.length; i++)
      for (const k of CYCLE_COLUMNS) expect(rows[i][k], `cycle ${i + 1} ${String(k)}`).toBe(sim.cycles[i][k]);
    expect(recordsOf(h.out).map((r) => r.damage_mean)).toEqual(cliRecords.map((r) => r.damage_mean));
    const jumped = rows.filter((r) => r.resolved === 0).map((r) => r.cycle);
    expect(jumped.length).toBeGreaterThan(0);
    // one snapshot per computed cycle, at the step that ended it; none for the jumped ones
    const tagged = batches.flatMap((m) => (m.fields?.cycle !== undefined ? [m.fields] : []));
    expect(tagged.map((f) => f.cycle)).toEqual(rows.filter((r) => r.resolved === 1).map((r) => r.cycle));
    for (const f of tagged) expect(f.step).toBe(rows[f.cycle! - 1].steps);
    // the cycle before each jump (a run of consecutive jumped cycles): its damage is that jump's extrapolation, to
    // the run's last cycle; no other snapshot says so (however many jumps round-off leads to)
    const runs: number[][] = [];
    for (const k of jumped) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1] === k - 1) run.push(k);
      else runs.push([k]);
    }
    for (const run of runs) {
      const beforeJump = tagged.find((f) => f.cycle === run[0] - 1)!;
      expect(beforeJump.damageAtCycle, `jump over ${run.join(', ')}`).toBe(run[run.length - 1]);
    }
    expect(tagged.filter((f) => f.damageAtCycle !== undefined)).toHaveLength(runs.length);
  });

  it('a config error comes back as data naming the key; messages for another run id are ignored', async () => {
    const h = host();
    h.send({ type: 'create', id: 2, config: { microstructure: { grains: -3 } } });
    const m = await h.until((x) => x.type === 'created');
    expect(m.type === 'created' && !m.ok && m.issues.map((i) => i.key)).toContain('microstructure.grains');
    h.send({ type: 'create', id: 3, config: CONFIGS[1] });
    await h.until((x) => x.type === 'created' && x.id === 3);
    h.send({ type: 'run', id: 2 });
    await new Promise((r) => setTimeout(r, 100));
    expect(h.out.filter((x) => x.type === 'batch')).toEqual([]);
  });
});
