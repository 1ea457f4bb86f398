/** `chemofrac run <config> --out DIR`: one simulation with progress on stderr and incremental outputs. */
import { SIGNAL_EXIT_CODE, listenForStopSignals, type StopSignal } from '../io/stop-signals.js';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveConfig, type ResolvedConfig } from '../scenario/resolve.js';
import { canonicalJson } from '../scenario/canonical-json.js';
import { Simulation, runFraction } from '../engine/simulation.js';
import { RunWriter } from '../io/run-writer.js';
import { CHECKPOINT_FILE, checkpointMismatch, readCheckpoint, type RunCheckpoint } from '../io/checkpoint.js';
import { openRunDirectory, type RunDirectoryMode } from '../io/run-directory.js';
import { ENGINE_VERSION } from '../version.js';
import { createProgress, printable } from '../io/progress.js';
import { UserError } from '../errors.js';
import { synthesizedOverlay, withSynthesisMesh } from '../synthesis/charge.js';

export interface RunOutcome {
  sim: Simulation;
  writer: RunWriter;
  wall_s: number;
  /** The signal that stopped the run early, or null. */
  stoppedBy: StopSignal | null;
}

/** Apply a --kernel flag on top of the user's config. */
export function withKernel(config: unknown, kernel?: string): unknown {
  if (kernel === undefined) return config;
  if (kernel !== 'wasm' && kernel !== 'ts') throw new UserError(`--kernel: got "${kernel}"; allowed: wasm, ts`);
  const c = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  return { ...c, solver: { ...((c.solver as object) ?? {}), kernel } };
}

/** How a run ended, for the exit code: a signal gives 128 + its number (SIGINT 130, SIGTERM 143). */
export { SIGNAL_EXIT_CODE, type StopSignal };

export interface RunToDirectoryOptions {
  quiet?: boolean;
  label?: string;
  /** 'new' (refuse a directory holding a run), 'force' (replace it) or 'resume' (continue its checkpoint). */
  mode?: RunDirectoryMode;
}

/** Differences between two configs as dotted keys (first few), for the resume-mismatch message. */
function differingKeys(a: unknown, b: unknown, prefix = '', out: string[] = []): string[] {
  if (out.length >= 3) return out;
  const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of [...keys].sort())
      differingKeys(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        prefix ? `${prefix}.${k}` : k,
        out,
      );
  } else if (canonicalJson(a) !== canonicalJson(b)) out.push(prefix || '(the whole config)');
  return out;
}

/** The checkpoint in `dir`, checked against the config and engine that are to continue it. */
function loadCheckpointFor(dir: string, config: ResolvedConfig): RunCheckpoint {
  const path = join(dir, CHECKPOINT_FILE);
  let cp: RunCheckpoint;
  try {
    cp = readCheckpoint(path);
  } catch (e) {
    throw new UserError(`--resume: cannot read ${path}: ${(e as Error).message}. Use --force to start the run again.`);
  }
  const mismatch = checkpointMismatch(cp, config);
  if (mismatch === 'engine')
    throw new UserError(
      `--resume: ${path} was written by chemofrac ${cp.engine_version}, this is ${ENGINE_VERSION}; ` +
        'a run resumes only on the engine version that started it (use --force to start again).',
    );
  if (mismatch === 'config') {
    let keys: string[] = [];
    try {
      const previous = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { resolved_config?: unknown })
        .resolved_config;
      keys = differingKeys(previous, config).filter((k) => k !== 'name');
    } catch {
      // no readable summary: say it without the keys
    }
    throw new UserError(
      `--resume: the config differs from the one the run in "${dir}" was started with` +
        (keys.length ? ` (${keys.join(', ')})` : '') +
        '; resume with the same config, or use --force to start a new run there.',
    );
  }
  return cp;
}

/**
 * Run a resolved config into `out`: the directory is opened safely (lock, no silent replacement), outputs are
 * written incrementally, a checkpoint every `output.checkpoint_every_steps` steps. SIGINT/SIGTERM stop at the next
 * step boundary and keep everything (status "interrupted", `stoppedBy` set); a failed step keeps history and the
 * last state (status "failed") and rethrows.
 */
export async function runToDirectory(
  config: ResolvedConfig,
  out: string,
  opts: RunToDirectoryOptions = {},
): Promise<RunOutcome> {
  const t0 = performance.now();
  const lock = openRunDirectory(out, opts.mode ?? 'new');
  const stop = listenForStopSignals();
  let sim: Simulation | null = null;
  try {
    let writer: RunWriter;
    // microstructure.from_synthesis: the synthesized particle, read and checked here (the engine reads no files)
    const synthesized = synthesizedOverlay(config)?.synthesized;
    if (opts.mode === 'resume') {
      const cp = loadCheckpointFor(lock.dir, config);
      sim = await Simulation.resume(config, cp.simulation, { synthesized });
      writer = new RunWriter(lock.dir, sim, cp);
    } else {
      sim = await Simulation.create(config, { synthesized });
      writer = new RunWriter(lock.dir, sim);
    }
    const running = sim;
    writer.start();
    const progress = createProgress(opts.label ?? config.name, opts);
    const eta = etaClock(running.progressFraction());
    try {
      await running.run({
        signal: stop.signal,
        onStep: (rec) => {
          writer.onStep(rec);
          if (running.cycling) {
            const f = running.progressFraction();
            progress.update(
              f,
              `cycle ${running.cycling.cycle}/${config.loading.cycles} ${rec.leg} SoC ${rec.soc.toFixed(3)} ` +
                `D ${rec.damage_mean.toFixed(3)} step ${rec.step} ETA ${eta(f)}`,
            );
          } else
            progress.update(
              runFraction(config, rec),
              `SoC ${rec.soc.toFixed(3)} D ${rec.damage_mean.toFixed(3)} step ${rec.step}`,
            );
        },
      });
      progress.stop();
      writer.finish(running.done ? 'completed' : 'interrupted');
    } catch (e) {
      progress.stop();
      writer.finish('failed', e as Error);
      throw e;
    }
    return { sim: running, writer, wall_s: (performance.now() - t0) / 1000, stoppedBy: stop.stoppedBy };
  } finally {
    stop.dispose();
    sim?.kernel.dispose();
    lock.release();
  }
}

/**
 * Remaining wall time from the progress fraction: elapsed × (1 − f) / (f − f0), f0 the fraction this session
 * started at (a resumed run counts only its own pace). "?" until 1 % more is done.
 */
export function etaClock(f0: number): (f: number) => string {
  const t0 = performance.now();
  return (f) => {
    if (f - f0 < 0.01) return '?';
    const s = ((performance.now() - t0) / 1000) * ((1 - f) / (f - f0));
    return s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`;
  };
}

/** `chemofrac run`; returns the exit code (0, or 130/143 after SIGINT/SIGTERM). */
export async function runCommand(
  config: unknown,
  opts: { out: string; kernel?: string; quiet?: boolean; resume?: boolean; force?: boolean; configDir?: string },
): Promise<number> {
  if (opts.resume && opts.force)
    throw new UserError('--resume and --force exclude each other: continue the run in --out, or replace it.');
  // A relative microstructure.from_synthesis starts at the config file's directory.
  const resolved = resolveConfig(withSynthesisMesh(withKernel(config, opts.kernel), opts.configDir ?? process.cwd()));
  const mode: RunDirectoryMode = opts.resume ? 'resume' : opts.force ? 'force' : 'new';
  const { sim, wall_s, stoppedBy } = await runToDirectory(resolved, opts.out, { ...opts, mode });
  const last = sim.history[sim.history.length - 1];
  const end = stoppedBy
    ? `interrupted by ${stoppedBy} after step ${sim.stepCount} (continue with --resume)`
    : `end ${sim.endReason} at SoC ${last.soc.toFixed(3)}`;
  const cyc = sim.cycles[sim.cycles.length - 1];
  const cycling = cyc
    ? `${sim.completedCycles} cycles (${sim.cycles.filter((c) => c.resolved).length} resolved), retention ` +
      `${(100 * cyc.retention).toFixed(1)} %, class ${cyc.class}; `
    : '';
  console.log(
    `${printable(resolved.name)}: ${sim.stepCount} steps, ${wall_s.toFixed(1)} s, ${end}; ${cycling}` +
      `damage mean ${last.damage_mean.toFixed(4)}, cracked ${(100 * last.cracked_fraction).toFixed(1)} % of GB length, ` +
      `x_std ${last.x_std.toFixed(4)} → ${resolve(opts.out)}/`,
  );
  return stoppedBy ? SIGNAL_EXIT_CODE[stoppedBy] : 0;
}
