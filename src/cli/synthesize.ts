/** `chemofrac synthesize <config> --out DIR`: one calcination (docs/synthesis.md). */
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { runSynthesisToDirectory } from '../synthesis/run.js';
import { printable } from '../io/progress.js';
import { listenForStopSignals } from '../io/stop-signals.js';

/** Returns the exit code: 0, or 130/143 when SIGINT/SIGTERM stopped the run (everything computed is written). */
export async function synthesizeCommand(
  config: unknown,
  opts: { out: string; force?: boolean; resume?: boolean; quiet?: boolean },
): Promise<number> {
  if (!opts.out) throw new UserError('--out: give a directory for the results.');
  if (opts.resume && opts.force)
    throw new UserError('--resume and --force exclude each other: continue the synthesis in --out, or replace it.');
  let lastPrint = 0;
  const named = config && typeof config === 'object' ? (config as { name?: unknown }).name : undefined;
  const label = printable(typeof named === 'string' ? named : 'synthesis');
  const stop = listenForStopSignals();
  let outcome;
  try {
    outcome = await runSynthesisToDirectory(config, opts.out, {
      mode: opts.resume ? 'resume' : opts.force ? 'force' : 'new',
      signal: stop.signal,
      onStep: (m) => {
        if (opts.quiet) return;
        const now = Date.now();
        if (now - lastPrint < 1000 && !m.done) return;
        lastPrint = now;
        const r = m.history[m.history.length - 1];
        process.stderr.write(
          `\r${label}: t ${(r.time_s / 60).toFixed(1)} min, T ${r.T_C.toFixed(0)} °C, ` +
            `lithiated ${r.lithiated_fraction.toFixed(3)}, rock salt ${r.rock_salt_fraction.toFixed(3)}   `,
        );
      },
    });
  } finally {
    stop.dispose();
  }
  const stoppedBy = stop.stoppedBy;
  const { model, wall_s, maxMassBalanceError, status } = outcome;
  if (!opts.quiet) process.stderr.write('\n');
  const last = model.history[model.history.length - 1];
  console.log(
    `${label}: ${model.stepCount} steps, ${wall_s.toFixed(1)} s, ` +
      (status === 'interrupted' ? `interrupted by ${stoppedBy ?? 'a signal'} at ` : 'end ') +
      `${last.T_C.toFixed(0)} °C; ` +
      `lithiated ${last.lithiated_fraction.toFixed(3)}, rock salt ${last.rock_salt_fraction.toFixed(3)}, ` +
      `void ${last.void_fraction.toFixed(3)}, open boundaries ${(100 * last.open_boundary_fraction).toFixed(1)} %, ` +
      `Li balance error ${maxMassBalanceError.toExponential(1)} → ${resolve(opts.out)}/`,
  );
  if (status === 'interrupted')
    process.stderr.write('Continue it with --resume (from its last checkpoint), or start again with --force.\n');
  return status === 'interrupted' ? (stoppedBy === 'SIGTERM' ? 143 : 130) : 0;
}
