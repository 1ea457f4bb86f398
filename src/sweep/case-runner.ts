/**
 * One sweep case: a full run into its own run directory (the same files as `chemofrac run`), reduced to the
 * numbers the sweep tables need. Runs inside a pool worker, reusing the worker's kernel across cases, and stops
 * between steps when the sweep is interrupted (a shared flag, since signals reach only the main thread).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Simulation, createKernel, runFraction } from '../engine/simulation.js';
import { buildScenario, meshSpecFromConfig } from '../scenario/build.js';
import { meshPolycrystal } from '../mesh/index.js';
import { meshSynthesized } from '../mesh/synthesized.js';
import { synthesizedOverlay } from '../synthesis/charge.js';
import { RunWriter } from '../io/run-writer.js';
import { writeJsonAtomic } from '../io/atomic.js';
import { CHECKPOINT_FILE, checkpointMismatch, readCheckpoint, type RunCheckpoint } from '../io/checkpoint.js';
import {
  CASE_METRICS,
  PROBE_SOC,
  caseResult,
  type CaseContext,
  type CaseResult,
  type CaseStatus,
  type CaseTask,
  type MetricValues,
} from '../io/case-result.js';

export { CASE_METRICS, PROBE_SOC };
export type { CaseContext, CaseResult, CaseStatus, CaseTask, MetricValues };

/** The checkpoint an interrupted earlier attempt of this case left, when it can continue this case; else null. */
function resumableCheckpoint(task: CaseTask): RunCheckpoint | null {
  const path = join(task.dir, CHECKPOINT_FILE);
  if (!existsSync(path)) return null;
  try {
    const cp = readCheckpoint(path);
    return checkpointMismatch(cp, task.config) === null ? cp : null;
  } catch {
    return null; // unreadable: start the case again
  }
}

/**
 * Run one case into `task.dir`. A case that an earlier, interrupted sweep left with a checkpoint continues from it
 * (bit-identical to an uninterrupted run); otherwise the directory is emptied first, so a rerun leaves no stale
 * snapshots.
 * Never throws for a failing case: the error is returned in the result (and written to `error.json` when the
 * run could not even start, e.g. a mesh error), so the sweep goes on.
 */
export async function runCase(task: CaseTask, ctx: CaseContext = {}): Promise<CaseResult> {
  const t0 = performance.now();
  const checkpoint = resumableCheckpoint(task);
  if (!checkpoint) {
    rmSync(task.dir, { recursive: true, force: true });
    mkdirSync(task.dir, { recursive: true });
  }
  let sim: Simulation | null = null;
  let writer: RunWriter | null = null;
  const ownKernel = !ctx.kernel;
  try {
    // setup → scenario → kernel, with static imports only (the worker's module graph stays static, worker.ts)
    // microstructure.from_synthesis: the synthesized particle (file read and checked here, in the case's worker)
    const charge = synthesizedOverlay(task.config);
    const spec = meshSpecFromConfig(task.config);
    const mesh = charge ? meshSynthesized(spec, charge.synthesized) : meshPolycrystal(spec);
    const scenario = buildScenario(task.config, mesh);
    const kernel = ctx.kernel ?? (await createKernel(task.config.solver.kernel));
    sim = checkpoint
      ? Simulation.continueFrom(scenario, kernel, checkpoint.simulation)
      : Simulation.start(scenario, kernel);
    writer = new RunWriter(task.dir, sim, checkpoint ?? undefined);
    writer.start();
    const controller = new AbortController();
    await sim.run({
      signal: controller.signal,
      onStep: (rec) => {
        writer!.onStep(rec);
        ctx.onProgress?.(sim!.cycling ? sim!.progressFraction() : runFraction(task.config, rec));
        if (ctx.shouldStop?.()) controller.abort();
      },
    });
    const status: CaseStatus = sim.done ? 'completed' : 'interrupted';
    writer.finish(status);
    return summarize(task, sim, status, null, t0);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    try {
      if (writer) writer.finish('failed', err);
      else
        writeJsonAtomic(join(task.dir, 'error.json'), {
          status: 'failed',
          error: { name: err.name, message: err.message },
        });
    } catch {
      // The error we report is the run's, not a secondary one while saving its remains.
    }
    return summarize(task, sim, 'failed', err, t0);
  } finally {
    if (ownKernel) sim?.kernel.dispose();
  }
}

function summarize(
  task: CaseTask,
  sim: Simulation | null,
  status: CaseStatus,
  error: Error | null,
  t0: number,
): CaseResult {
  const particleClass = sim && status === 'completed' ? sim.particleClassOrNull() : null;
  return caseResult(task.hash, task.config, {
    status,
    error: error ? { name: error.name, message: error.message } : null,
    history: sim?.history ?? [],
    endReason: sim?.endReason ?? null,
    steps: sim?.stepCount ?? 0,
    particleClass,
    cycles: sim?.cycling ? sim.cycles : null,
    wall_s: (performance.now() - t0) / 1000,
  });
}
