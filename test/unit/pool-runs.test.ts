/**
 * `runOnPool` (src/cli/pool-runs.ts): results come back in the order of the configs whatever order the runs were
 * dispatched in, and with one worker the runs execute in the dispatch order (the pool's queue is FIFO), which is
 * what `compare`'s longest-first order relies on.
 */
import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { runOnPool } from '../../src/cli/pool-runs.js';
import { caseHash } from '../../src/io/config-hash.js';
import { resolveConfig } from '../../src/scenario/resolve.js';
import { referenceConfig } from '../../src/scenario/reference.js';
import { tempDir } from '../reliability/support.js';

const tiny = (seed: number) =>
  resolveConfig(
    referenceConfig('bare', seed, {
      name: `tiny-${seed}`,
      geometry: { shape: 'quarter', radius_um: 1.2, mesh_size_um: 0.2 },
      microstructure: { grains: 5, seed },
      loading: { c_rates: [1], to_soc: 0.05 },
      output: { snapshots_soc: [], vtu: false },
    }),
  );

describe('runOnPool dispatch order', () => {
  it('returns results in config order and runs them in dispatch order', async () => {
    const configs = [tiny(1), tiny(2), tiny(3)];
    const dirs = ['a', 'b', 'c'];
    const out = tempDir();
    const { results } = await runOnPool(configs, dirs, {
      out,
      workers: 1,
      quiet: true,
      label: 'test',
      dispatchOrder: [2, 0, 1],
    });
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect(results.map((r) => r.hash)).toEqual(configs.map((c) => caseHash(c)));
    // one worker: c finished first, then a, then b
    const finished = dirs.map((d) => statSync(join(out, d, 'history.csv')).mtimeMs);
    expect(finished[2]).toBeLessThan(finished[0]);
    expect(finished[0]).toBeLessThan(finished[1]);
  }, 60_000);

  it('refuses a dispatch order that is not a permutation', async () => {
    await expect(
      runOnPool([tiny(1), tiny(2)], ['a', 'b'], {
        out: tempDir(),
        workers: 1,
        quiet: true,
        label: 't',
        dispatchOrder: [0, 0],
      }),
    ).rejects.toThrow(/permutation of 0…1/);
  });
});
