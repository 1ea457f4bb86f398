/**
 * Defect 1: `chemofrac run` ignored SIGINT and SIGTERM (the step loop never yielded to the event loop), and a run
 * could not be continued. Now: a signal stops the run at the next step boundary within 2 s, writes
 * status "interrupted" with complete files and exits 130 (SIGINT) or 143 (SIGTERM); `--resume` continues from the
 * last checkpoint and the resumed history.csv is byte-identical to an uninterrupted run's. A SIGKILL (no chance
 * to clean up) leaves a stale lock and status "running"; --resume takes the lock over and finishes identically.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { runToDirectory } from '../../src/cli/run.js';
import { Simulation } from '../../src/engine/simulation.js';
import { cli, LONG_RUN, startCli, tempDir, waitFor, writeJson } from './support.js';

/** The uninterrupted reference run's history.csv, computed once. */
let reference: Promise<string> | null = null;
function referenceHistory(): Promise<string> {
  reference ??= (async () => {
    const dir = tempDir();
    await runToDirectory(resolveConfig(LONG_RUN), dir, { quiet: true });
    return readFileSync(join(dir, 'history.csv'), 'utf8');
  })();
  return reference;
}

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const checkpointStep = (dir: string): number => {
  try {
    return JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).step as number;
  } catch {
    return -1;
  }
};

describe('interruption by a real signal, then --resume', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: stops within 2 s with exit ${code}, status "interrupted", and resumes to the identical history`, async () => {
      const config = writeJson(LONG_RUN);
      const out = join(tempDir(), 'run');
      const { child, exited } = startCli(['run', config, '--out', out, '--quiet']);
      await waitFor(() => checkpointStep(out) >= 30, 60_000, child);
      const t0 = Date.now();
      child.kill(signal);
      const r = await exited;
      const stop_ms = Date.now() - t0;
      expect(r.code, r.stderr).toBe(code);
      expect(stop_ms).toBeLessThan(2000);
      const summary = summaryOf(out);
      expect(summary.status).toBe('interrupted');
      expect(summary.steps).toBeGreaterThanOrEqual(30);
      const rows = readFileSync(join(out, 'history.csv'), 'utf8').trim().split('\n');
      expect(rows.length - 1).toBe(summary.steps + 1); // complete history up to the last accepted step
      expect(existsSync(join(out, 'checkpoint.json'))).toBe(true);
      expect(existsSync(join(out, '.chemofrac.lock'))).toBe(false);

      const resumed = cli(['run', config, '--out', out, '--quiet', '--resume']);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(summaryOf(out).status).toBe('completed');
      expect(summaryOf(out).resumed_at_steps.length).toBe(1);
      expect(readFileSync(join(out, 'history.csv'), 'utf8')).toBe(await referenceHistory());
      expect(existsSync(join(out, 'checkpoint.json'))).toBe(false); // a completed run needs none
    });
  }

  it('SIGKILL during the run: the stale lock is taken over and --resume finishes identically', async () => {
    const config = writeJson(LONG_RUN);
    const out = join(tempDir(), 'run');
    const { child, exited } = startCli(['run', config, '--out', out, '--quiet']);
    await waitFor(() => checkpointStep(out) >= 20, 60_000, child);
    child.kill('SIGKILL');
    await exited;
    expect(summaryOf(out).status).toBe('running');
    expect(existsSync(join(out, '.chemofrac.lock'))).toBe(true); // left behind by the killed process
    const again = cli(['run', config, '--out', out, '--quiet']);
    expect(again.status).toBe(1); // a run is there: refused without --resume or --force
    expect(again.stderr).toMatch(/already holds a run.*--resume.*--force/s);
    const resumed = cli(['run', config, '--out', out, '--quiet', '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(readFileSync(join(out, 'history.csv'), 'utf8')).toBe(await referenceHistory());
  });

  it('--resume with a different config is refused and names the key that differs', async () => {
    const config = writeJson(LONG_RUN);
    const out = join(tempDir(), 'run');
    const { child, exited } = startCli(['run', config, '--out', out, '--quiet']);
    await waitFor(() => checkpointStep(out) >= 10, 60_000, child);
    child.kill('SIGINT');
    await exited;
    const other = writeJson({ ...LONG_RUN, loading: { ...LONG_RUN.loading, c_rates: [2, 1] } });
    const r = cli(['run', other, '--out', out, '--quiet', '--resume']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--resume: the config differs .*loading\.c_rates/s);
  });
});

describe('checkpoint and resume in the library, both kernels', () => {
  for (const kernel of ['wasm', 'ts'] as const) {
    it(`${kernel}: a simulation resumed from step 20 repeats the uninterrupted steps bit for bit`, async () => {
      const config = resolveConfig({
        ...LONG_RUN,
        geometry: { shape: 'quarter', radius_um: 1.5, mesh_size_um: 0.15 },
        microstructure: { grains: 8, seed: 2 },
        solver: { kernel },
        output: { checkpoint_every_steps: 20 },
      });
      const a = await Simulation.create(config);
      let cp = null;
      for (let i = 0; i < 45 && !a.done; i++) {
        a.step();
        if (a.atCheckpointStep && a.stepCount === 20) cp = a.checkpoint();
      }
      expect(cp).not.toBeNull();
      const b = await Simulation.resume(config, structuredClone(cp!));
      while (b.stepCount < a.stepCount) b.step();
      expect(b.history).toEqual(a.history); // toEqual on numbers is exact (Object.is)
      expect(b.kernel.damage()).toEqual(a.kernel.damage());
    });
  }
});
