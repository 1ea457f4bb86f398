/**
 * Defect 6 (second half): SIGINT took 69 s to stop a large sweep. A sweep now stops within 2 s at any phase:
 * while its case list is built (see huge-sweep-expands-everything.test.ts) and while cases run (the running cases
 * stop after their current step, finished ones are kept, exit 130; `--resume` finishes the rest, continuing each
 * interrupted case from its checkpoint to the same history an uninterrupted run gives).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { runToDirectory } from '../../src/cli/run.js';
import { cli, startCli, tempDir, waitFor, writeJson } from './support.js';

const sweep = {
  name: 'sigint',
  base: {
    geometry: { shape: 'quarter', radius_um: 2.5, mesh_size_um: 0.1 },
    microstructure: { grains: 20 },
    loading: { to_soc: 0.6 },
    output: { vtu: false },
  },
  replicates: { count: 4 },
};

describe('a running sweep stops on SIGINT within 2 s', () => {
  it('exit 130, finished cases kept, --resume completes the rest', async () => {
    const file = writeJson(sweep, tempDir(), 'sweep.json');
    const out = join(tempDir(), 'sweep');
    const { child, exited } = startCli(['sweep', file, '--out', out, '--workers', '2', '--quiet']);
    // wait until a running case has written a checkpoint
    await waitFor(
      () =>
        existsSync(join(out, 'runs')) &&
        readdirSync(join(out, 'runs')).some((d) => existsSync(join(out, 'runs', d, 'checkpoint.json'))),
      60_000,
      child,
    );
    const t0 = Date.now();
    child.kill('SIGINT');
    const r = await exited;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/Sweep interrupted by SIGINT .*--resume/s);
    expect(existsSync(join(out, 'sweep.csv'))).toBe(true);

    const resumed = cli(['sweep', file, '--out', out, '--workers', '2', '--quiet', '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const rows = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows.length).toBe(4);
    expect(rows.every((row) => row.includes('completed'))).toBe(true);

    // the cases that were interrupted continued from their checkpoints, to the uninterrupted history
    const resumedRuns = readdirSync(join(out, 'runs')).filter(
      (d) => JSON.parse(readFileSync(join(out, 'runs', d, 'summary.json'), 'utf8')).resumed_at_steps !== undefined,
    );
    expect(resumedRuns.length).toBeGreaterThan(0);
    const dir = join(out, 'runs', resumedRuns[0]);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const fresh = join(tempDir(), 'fresh');
    await runToDirectory(resolveConfig(summary.config), fresh, { quiet: true });
    expect(readFileSync(join(dir, 'history.csv'), 'utf8')).toBe(readFileSync(join(fresh, 'history.csv'), 'utf8'));
  });
});
