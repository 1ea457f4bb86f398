/**
 * A synthesis run into a directory (docs/synthesis.md §5): the directory is opened like a charge run's (lock, a
 * previous run refused unless `force`), snapshots at the start and at the end of every program step, history.csv
 * and profiles.csv rewritten at every snapshot, summary.json and microstructure.json at the end.
 */
import { join } from 'node:path';
import { writeJsonAtomic } from '../io/atomic.js';
import { openRunDirectory, type RunDirectoryMode } from '../io/run-directory.js';
import { ENGINE_VERSION } from '../version.js';
import { parseSynthesisConfig, type SynthesisConfig } from './config.js';
import { buildSynthesisMesh, meshHash } from './mesh.js';
import { SynthesisModel } from './model.js';
import { writeHistory, writeProfiles, writeSnapshot, type SnapshotInfo } from './outputs.js';
import { synthesizedMicrostructure } from './microstructure.js';
import { SYNTHESIS_PARAMETERS } from './parameters.js';
import { arrheniusPrefactor } from './temperature-program.js';
import { pinningFactor, surfaceBlocking } from './rates.js';

export interface SynthesisOutcome {
  status: 'completed' | 'interrupted';
  model: SynthesisModel;
  config: SynthesisConfig;
  dir: string;
  wall_s: number;
  mesh_s: number;
  maxMassBalanceError: number;
}

export interface SynthesisRunOptions {
  mode?: RunDirectoryMode;
  onStep?: (model: SynthesisModel) => void;
  /** Abort = stop after the current step: history, profiles, a snapshot and summary.json (status "interrupted"). */
  signal?: AbortSignal;
}

/** Longest stretch of computing between two looks at the event loop (signals, timers), ms. */
const YIELD_EVERY_MS = 50;

function derived(c: SynthesisConfig) {
  const r = c.synthesis.rates;
  const T = r.reference_temperature_C;
  return {
    prefactors: {
      D_bulk_um2_per_s: arrheniusPrefactor(r.D_bulk_um2_per_s, T, r.Ea_bulk_kJ_mol),
      D_GB_delta_um3_per_s: arrheniusPrefactor(r.D_GB_delta_um3_per_s, T, r.Ea_GB_kJ_mol),
      k_L_per_s: arrheniusPrefactor(r.k_L_per_s, T, r.Ea_L_kJ_mol),
      k_D_per_s: arrheniusPrefactor(r.k_D_per_s, T, r.Ea_D_kJ_mol),
      k_c_per_s: arrheniusPrefactor(r.k_c_per_s, T, r.Ea_c_kJ_mol),
      surface_exchange_um_per_s: arrheniusPrefactor(
        c.synthesis.li_source.surface_exchange_um_per_s,
        T,
        c.synthesis.li_source.Ea_surface_kJ_mol,
      ),
    },
    pinning_factor: pinningFactor(c.synthesis),
    surface_blocking: surfaceBlocking(c.synthesis),
  };
}

/**
 * Run a synthesis into `out`. `summary.json` says "running" from the start (a killed run is recognisable), and an
 * aborted `signal` stops the run after its current step with everything computed written ("interrupted"; the
 * microstructure is written only for a completed run). A synthesis cannot be resumed yet: rerun it with --force.
 */
export async function runSynthesisToDirectory(
  input: unknown,
  out: string,
  opts: SynthesisRunOptions = {},
): Promise<SynthesisOutcome> {
  const config = parseSynthesisConfig(input);
  const t0 = performance.now();
  const mesh = buildSynthesisMesh(config);
  const mesh_s = (performance.now() - t0) / 1000;
  const lock = openRunDirectory(out, opts.mode ?? 'new');
  try {
    const dir = lock.dir;
    const model = new SynthesisModel(mesh, config.synthesis);
    const vtu = config.synthesis.output.vtu;
    const summaryBase = {
      kind: 'synthesis',
      engine_version: ENGINE_VERSION,
      name: config.name ?? 'synthesis',
      config,
      mesh: {
        hash_sha256: meshHash(mesh),
        nodeCount: mesh.nodeCount,
        triCount: mesh.triCount,
        grainCount: mesh.grainCount,
        interfaceCount: mesh.interfaceCount,
      },
    };
    writeJsonAtomic(join(dir, 'summary.json'), { ...summaryBase, status: 'running' });
    const snapshots: SnapshotInfo[] = [writeSnapshot(dir, model, 0, -1, vtu)];
    let maxErr = 0;
    let seg = model.segmentAt(0);
    const t1 = performance.now();
    let lastYield = t1;
    while (!model.done) {
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
      }
      if (opts.signal?.aborted) break;
      const rec = model.step();
      maxErr = Math.max(maxErr, Math.abs(rec.mass_balance_error));
      opts.onStep?.(model);
      const now = model.segmentAt(model.time_s);
      if (now !== seg || model.done) {
        snapshots.push(writeSnapshot(dir, model, snapshots.length, seg ? seg.index : -1, vtu));
        writeHistory(dir, model);
        writeProfiles(dir, snapshots);
        seg = now;
      }
    }
    const wall_s = (performance.now() - t1) / 1000;
    const status = model.done ? 'completed' : 'interrupted';
    if (status === 'interrupted')
      snapshots.push(writeSnapshot(dir, model, snapshots.length, seg ? seg.index : -1, vtu));
    writeHistory(dir, model);
    writeProfiles(dir, snapshots);
    if (status === 'completed')
      writeJsonAtomic(join(dir, 'microstructure.json'), synthesizedMicrostructure(model, config));
    const last = model.history[model.history.length - 1];
    writeJsonAtomic(join(dir, 'summary.json'), {
      ...summaryBase,
      status,
      run: {
        steps: model.stepCount,
        mesh_s,
        wall_s,
        solver: 'host-side TypeScript, sparse Cholesky refactorised every step',
      },
      final: last,
      rings: model.ringProfiles(),
      core: { r_um: model.ringRadii_um[1], lithiated: last.core_lithiated_fraction, void: last.core_void_fraction },
      mass_balance: { max_relative_error: maxErr },
      derived: derived(config),
      snapshots,
      parameters: SYNTHESIS_PARAMETERS,
    });
    return { status, model, config, dir, wall_s, mesh_s, maxMassBalanceError: maxErr };
  } finally {
    lock.release();
  }
}
