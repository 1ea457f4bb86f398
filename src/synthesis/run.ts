/**
 * A synthesis run into a directory (docs/synthesis.md §5): the directory is opened like a charge run's (lock, a
 * previous run refused unless `force`), snapshots at the start and at the end of every program step, history.csv
 * and profiles.csv rewritten at every snapshot, summary.json and microstructure.json at the end.
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../io/atomic.js';
import { CHECKPOINT_FILE, readStateJson, writeStateJson } from '../io/checkpoint.js';
import { UserError } from '../errors.js';
import { canonicalJson } from '../scenario/canonical-json.js';
import { openRunDirectory, type RunDirectoryMode } from '../io/run-directory.js';
import { ENGINE_VERSION } from '../version.js';
import { parseSynthesisConfig, type SynthesisConfig } from './config.js';
import { buildSynthesisMesh } from './mesh.js';
import { meshHash } from './mesh-hash.js';
import { SynthesisModel, type SynthesisState } from './model.js';
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

export const SYNTHESIS_CHECKPOINT_FORMAT = 'chemofrac-synthesis-checkpoint';
export const SYNTHESIS_CHECKPOINT_VERSION = 1;

/**
 * checkpoint.json of a synthesis directory (docs/synthesis.md §5, encoding of src/io/checkpoint.ts: typed arrays as
 * base64 of their bytes, numbers exact): the model state after a step and what the run directory listed by then.
 */
export interface SynthesisCheckpoint {
  format: typeof SYNTHESIS_CHECKPOINT_FORMAT;
  format_version: number;
  engine_version: string;
  /** sha256 of the canonical JSON of the expanded config without its name. */
  config_hash: string;
  step: number;
  max_mass_balance_error: number;
  snapshots: SnapshotInfo[];
  resumed_at_steps: number[];
  state: SynthesisState;
}

export function synthesisConfigHash(c: SynthesisConfig): string {
  const { name: _name, ...rest } = c;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The checkpoint in `dir`, checked against the config and engine that are to continue it (errors say why not). */
function loadSynthesisCheckpoint(dir: string, config: SynthesisConfig): SynthesisCheckpoint {
  const path = join(dir, CHECKPOINT_FILE);
  let cp: SynthesisCheckpoint;
  try {
    cp = readStateJson(path) as SynthesisCheckpoint;
  } catch (e) {
    throw new UserError(`--resume: cannot read ${path}: ${(e as Error).message}. Use --force to start again.`);
  }
  if (cp?.format !== SYNTHESIS_CHECKPOINT_FORMAT || cp.format_version !== SYNTHESIS_CHECKPOINT_VERSION)
    throw new UserError(
      `--resume: ${path} is not a synthesis checkpoint (format ${SYNTHESIS_CHECKPOINT_FORMAT} ${SYNTHESIS_CHECKPOINT_VERSION}); ` +
        'is this the directory of a charge run? Use --force to start a synthesis there.',
    );
  if (cp.engine_version !== ENGINE_VERSION)
    throw new UserError(
      `--resume: ${path} was written by chemofrac ${cp.engine_version}, this is ${ENGINE_VERSION}; ` +
        'a synthesis resumes only on the engine version that started it (use --force to start again).',
    );
  if (cp.config_hash !== synthesisConfigHash(config))
    throw new UserError(
      `--resume: the config differs from the one the synthesis in "${dir}" was started with; ` +
        'resume with the same config, or use --force to start a new synthesis there.',
    );
  return cp;
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
 * microstructure is written only for a completed run). checkpoint.json every `output.checkpoint_every_steps`
 * steps; `mode: 'resume'` continues from it (refused for another config or engine version) and gives the same
 * history.csv byte for byte as a run that was never stopped (the model state is all a step reads: the transport is
 * assembled and factorised afresh every step). The checkpoint is removed when the run completes.
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
  const mode = opts.mode ?? 'new';
  const lock = openRunDirectory(out, mode);
  try {
    const dir = lock.dir;
    const model = new SynthesisModel(mesh, config.synthesis);
    const cp = mode === 'resume' ? loadSynthesisCheckpoint(dir, config) : null;
    if (cp) model.importState(cp.state);
    // a microstructure.json belongs to a completed run only (--force over a finished synthesis leaves one)
    else rmSync(join(dir, 'microstructure.json'), { force: true });
    const resumedAt = cp ? [...cp.resumed_at_steps, cp.step] : [];
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
    const snapshots: SnapshotInfo[] = cp ? cp.snapshots : [writeSnapshot(dir, model, 0, -1, vtu)];
    let maxErr = cp ? cp.max_mass_balance_error : 0;
    const every = config.synthesis.output.checkpoint_every_steps;
    const configHash = synthesisConfigHash(config);
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
      if (model.programStepEnded >= 0) {
        snapshots.push(writeSnapshot(dir, model, snapshots.length, model.programStepEnded, vtu));
        writeHistory(dir, model);
        writeProfiles(dir, snapshots);
      }
      if (every > 0 && model.stepCount % every === 0 && !model.done) {
        writeHistory(dir, model); // the rows up to the checkpoint are on disk with it
        const checkpoint: SynthesisCheckpoint = {
          format: SYNTHESIS_CHECKPOINT_FORMAT,
          format_version: SYNTHESIS_CHECKPOINT_VERSION,
          engine_version: ENGINE_VERSION,
          config_hash: configHash,
          step: model.stepCount,
          max_mass_balance_error: maxErr,
          snapshots,
          resumed_at_steps: resumedAt,
          state: model.exportState(),
        };
        writeStateJson(join(dir, CHECKPOINT_FILE), checkpoint);
      }
    }
    const wall_s = (performance.now() - t1) / 1000;
    const status = model.done ? 'completed' : 'interrupted';
    if (status === 'interrupted')
      snapshots.push(writeSnapshot(dir, model, snapshots.length, model.segmentAt(model.time_s)?.index ?? -1, vtu));
    writeHistory(dir, model);
    writeProfiles(dir, snapshots);
    if (status === 'completed') {
      writeJsonAtomic(join(dir, 'microstructure.json'), synthesizedMicrostructure(model, config));
      if (existsSync(join(dir, CHECKPOINT_FILE))) rmSync(join(dir, CHECKPOINT_FILE));
    }
    const last = model.history[model.history.length - 1];
    writeJsonAtomic(join(dir, 'summary.json'), {
      ...summaryBase,
      status,
      resumed_at_steps: resumedAt.length ? resumedAt : undefined,
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
