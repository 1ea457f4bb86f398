/** `chemofrac run <config> --out DIR`: one simulation with progress on stderr and incremental outputs. */
import { resolveConfig, type ResolvedConfig } from '../scenario/resolve.js';
import { Simulation } from '../engine/simulation.js';
import { RunWriter } from '../io/run-writer.js';
import { createProgress } from './progress.js';
import { UserError } from './main.js';

export interface RunOutcome {
  sim: Simulation;
  writer: RunWriter;
  wall_s: number;
}

/** Apply a --kernel flag on top of the user's config. */
export function withKernel(config: unknown, kernel?: string): unknown {
  if (kernel === undefined) return config;
  if (kernel !== 'wasm' && kernel !== 'ts') throw new UserError(`--kernel: got "${kernel}"; allowed: wasm, ts`);
  const c = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  return { ...c, solver: { ...((c.solver as object) ?? {}), kernel } };
}

/**
 * Run a resolved config into `out`. SIGINT/SIGTERM stop between steps and keep what was computed
 * (status "interrupted"); a failed step keeps history and the last state (status "failed") and rethrows.
 */
export async function runToDirectory(
  config: ResolvedConfig,
  out: string,
  opts: { quiet?: boolean; label?: string } = {},
): Promise<RunOutcome> {
  const t0 = performance.now();
  const sim = await Simulation.create(config);
  const writer = new RunWriter(out, sim);
  writer.start();
  const progress = createProgress(opts.label ?? config.name, opts);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const target = config.loading.to_soc;
  try {
    await sim.run({
      signal: controller.signal,
      onStep: (rec) => {
        writer.onStep(rec);
        const fraction =
          target !== undefined
            ? (rec.soc - config.loading.initial_soc) / (target - config.loading.initial_soc || 1)
            : rec.time_s / (config.loading.duration_s ?? 1);
        progress.update(fraction, `SoC ${rec.soc.toFixed(3)} D ${rec.damage_mean.toFixed(3)} step ${rec.step}`);
      },
    });
    progress.stop();
    writer.finish(controller.signal.aborted ? 'interrupted' : 'completed');
  } catch (e) {
    progress.stop();
    writer.finish('failed', e as Error);
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    sim.kernel.dispose();
  }
  return { sim, writer, wall_s: (performance.now() - t0) / 1000 };
}

export async function runCommand(
  config: unknown,
  opts: { out: string; kernel?: string; quiet?: boolean },
): Promise<void> {
  const resolved = resolveConfig(withKernel(config, opts.kernel));
  const { sim, wall_s } = await runToDirectory(resolved, opts.out, opts);
  const last = sim.history[sim.history.length - 1];
  console.log(
    `${resolved.name}: ${sim.stepCount} steps, ${wall_s.toFixed(1)} s, end ${sim.endReason ?? 'interrupted'} at SoC ${last.soc.toFixed(3)}; ` +
      `damage mean ${last.damage_mean.toFixed(4)}, cracked ${(100 * last.cracked_fraction).toFixed(1)} % of GB length, ` +
      `x_std ${last.x_std.toFixed(4)} → ${opts.out}/`,
  );
}
